/**
 * Snapshot create and load. The state file is this emulator's own JSON (APPROX: Firecracker's is a
 * versioned binary format); the memory file is filled by the guest (see Guest.saveMemory).
 */
import { fsyncSync, openSync, readFileSync, statSync, writeSync, constants } from 'node:fs';
import { SNAPSHOT_DATA_VERSION, STATE_FILE_MAGIC } from './constants';
import { fatalLoadError, Fault, vmmError } from './faults';
import type { SavedGuest } from './guest';
import { restoredGuest } from './guest-select';
import { log, W } from './logger';
import { recordLatency, writeMetrics } from './metrics';
import { ioText, rustDebugStr } from './rust-text';
import type { BalloonConfig, BootSourceConfig, DriveConfig, EntropyConfig, NetConfig, SnapshotCreateParams, SnapshotLoadParams } from './schemas';
import { resumeVm } from './vmm-actions';
import { bindVsock } from './vmm-config';
import type { DriveEntry, Vmm } from './vmm';
import { closeFd } from './vmm';

export interface SnapshotState {
  magic: string;
  version: string;
  arch: string;
  vm_info: { mem_size_mib: number; smt: boolean; cpu_template: string; boot_source: BootSourceConfig; huge_pages: string };
  vcpu_count: number;
  drives: DriveConfig[];
  nets: { config: NetConfig; mmds: boolean }[];
  vsock: { guest_cid: number; uds_path: string } | null;
  balloon: BalloonConfig | null;
  entropy: EntropyConfig | null;
  mmds: { version: string; ipv4_address: string };
  guest: SavedGuest;
}

/** A state file that is not one of ours (the real loader checks a magic number and a CRC). */
export class SnapshotFormatError extends Error {}

export function readStateFile(p: string): SnapshotState {
  const raw = readFileSync(p, 'utf8');
  let state: SnapshotState | null;
  try {
    state = JSON.parse(raw) as SnapshotState;
  } catch {
    state = null;
  }
  // APPROX: the real loader reports a bad magic value / CRC of its binary format here.
  if (!state || state.magic !== STATE_FILE_MAGIC) throw new SnapshotFormatError('Magic value does not match arch');
  return state;
}

export async function createSnapshot(vmm: Vmm, p: SnapshotCreateParams): Promise<void> {
  const t0 = process.hrtime.bigint();
  if (p.snapshot_type === 'Diff' && !vmm.machine.track_dirty_pages) {
    throw vmmError('NotSupported', 'Diff snapshots are not allowed on uVMs with dirty page tracking disabled.');
  }
  if (vmm.state !== 'Paused') throw vmmError('CreateSnapshot', 'Cannot save the microVM state: Operation not allowed: save/restore unavailable while running');
  const guest = vmm.guest!;
  const state: SnapshotState = {
    magic: STATE_FILE_MAGIC,
    version: SNAPSHOT_DATA_VERSION,
    arch: vmm.arch,
    vm_info: {
      mem_size_mib: vmm.machine.mem_size_mib,
      smt: vmm.machine.smt,
      cpu_template: vmm.machine.cpu_template ?? 'None',
      boot_source: vmm.bootSource ? vmm.bootSource.config : { kernel_image_path: '', initrd_path: null, boot_args: null },
      huge_pages: vmm.machine.huge_pages,
    },
    vcpu_count: vmm.machine.vcpu_count,
    drives: vmm.drives.map((d) => d.config),
    nets: vmm.nets.map((n) => ({ config: n.config, mmds: n.mmds })),
    vsock: vmm.vsock ? vmm.vsock.config : null,
    balloon: vmm.balloon,
    entropy: vmm.entropy,
    mmds: { version: vmm.mmdsVersion, ipv4_address: vmm.mmdsIpv4 },
    guest: guest.snapshotState(),
  };
  let fd: number;
  try {
    fd = openSync(p.snapshot_path, 'w');
  } catch (e) {
    throw vmmError('CreateSnapshot', `Cannot perform open on the snapshot backing file: ${ioText(e)}`);
  }
  try {
    writeSync(fd, `${JSON.stringify(state)}\n`);
    fsyncSync(fd);
  } catch (e) {
    throw vmmError('CreateSnapshot', `Cannot perform write on the snapshot backing file: ${ioText(e)}`);
  } finally {
    closeFd(fd);
  }
  let mfd: number;
  try {
    mfd = openSync(p.mem_file_path, p.snapshot_type === 'Full' ? 'w' : constants.O_WRONLY | constants.O_CREAT);
  } catch (e) {
    throw vmmError('CreateSnapshot', `Cannot perform open on the memory backing file: ${ioText(e)}`);
  }
  try {
    await guest.saveMemory(p.mem_file_path, mfd);
  } finally {
    closeFd(mfd);
  }
  const us = Number((process.hrtime.bigint() - t0) / 1000n);
  const kind = p.snapshot_type === 'Full' ? 'full' : 'diff';
  recordLatency(`${kind}_create_snapshot`, us);
  log('Info', 'main', W.rpc, `'create ${kind} snapshot' VMM action took ${us} us.`);
}

/** Snapshot load. Errors inside the restore are fatal: answered, then the process exits 1. */
export async function loadSnapshot(vmm: Vmm, p: SnapshotLoadParams): Promise<void> {
  const t0 = process.hrtime.bigint();
  if (vmm.bootPathUsed) throw vmmError('LoadSnapshot', 'Loading a microVM snapshot not allowed after configuring boot-specific resources.');
  const memBackend = p.mem_backend!;
  let state: SnapshotState;
  try {
    state = readStateFile(p.snapshot_path);
  } catch (e) {
    if (e instanceof SnapshotFormatError) throw fatalLoadError(`Failed to get snapshot state from file: Failed to load snapshot state from file: ${e.message}`);
    throw fatalLoadError(`Failed to get snapshot state from file: Failed to open snapshot file: ${ioText(e)}`);
  }
  if (state.arch !== vmm.arch) {
    // The real state file's magic number encodes the architecture.
    throw fatalLoadError('Failed to get snapshot state from file: Failed to load snapshot state from file: Magic value does not match arch');
  }
  for (const o of p.network_overrides) {
    const n = state.nets.find((x) => x.config.iface_id === o.iface_id);
    if (!n) throw fatalLoadError('Failed to get snapshot state from file: Unknown Network Device.');
    n.config.host_dev_name = o.host_dev_name;
  }
  const info = state.vm_info;
  if (memBackend.backend_type === 'File') {
    if (info.huge_pages !== 'None') {
      throw fatalLoadError('Failed to load guest memory: Error creating guest memory from file: Cannot restore hugetlbfs backed snapshot by mapping the memory file. Please use uffd.');
    }
    try {
      closeFd(openSync(memBackend.backend_path, 'r'));
    } catch (e) {
      throw fatalLoadError(`Failed to load guest memory: Error creating guest memory from file: Failed to load guest memory: ${ioText(e)}`);
    }
  } else {
    // APPROX: no userfaultfd handshake is made; the page-fault handler's socket must just exist.
    let problem: string | null = null;
    try {
      if (!statSync(memBackend.backend_path).isSocket()) problem = 'Connection refused (os error 111)';
    } catch (e) {
      problem = ioText(e);
    }
    if (problem) throw fatalLoadError(`Failed to load guest memory: Error creating guest memory from uffd: Failed to connect to UDS Unix stream: ${problem}`);
  }
  const drives: DriveEntry[] = [];
  for (const cfg of state.drives) {
    let fd: number | null = null;
    if (cfg.path_on_host !== null) {
      try {
        fd = openSync(cfg.path_on_host, cfg.is_read_only ? 'r' : 'r+');
      } catch (e) {
        // APPROX: the device-restore error chain is shortened.
        throw fatalLoadError(`Failed to build microVM from snapshot: Failed to restore MMIO device: Cannot restore devices: Block(VirtioBackend(BackingFile(${ioText(e)}, ${rustDebugStr(cfg.path_on_host)})))`);
      }
    }
    drives.push({ config: cfg, fd });
  }
  let vsock: Vmm['vsock'] = null;
  if (state.vsock) {
    try {
      vsock = { config: state.vsock, server: bindVsock(state.vsock.uds_path) };
    } catch (e) {
      throw fatalLoadError(`Failed to build microVM from snapshot: Failed to restore MMIO device: Cannot restore devices: Vsock(UnixBind(${ioText(e)}))`);
    }
  }
  vmm.machine = {
    vcpu_count: state.vcpu_count,
    mem_size_mib: info.mem_size_mib,
    smt: info.smt,
    cpu_template: info.cpu_template === 'None' ? null : info.cpu_template,
    track_dirty_pages: p.enable_diff_snapshots,
    huge_pages: info.huge_pages,
  };
  vmm.bootSource = { config: info.boot_source, kernelFd: null, initrdFd: null };
  vmm.drives = drives;
  vmm.nets = state.nets.map((n) => ({ config: n.config, mmds: n.mmds }));
  vmm.vsock = vsock;
  vmm.balloon = state.balloon;
  vmm.balloonActualMib = state.balloon ? state.balloon.amount_mib : 0;
  vmm.entropy = state.entropy;
  vmm.mmdsVersion = state.mmds.version;
  vmm.mmdsIpv4 = state.mmds.ipv4_address;
  try {
    vmm.guest = await restoredGuest(vmm, state.guest, memBackend.backend_path);
  } catch (e) {
    if (e instanceof Fault) throw e;
    throw fatalLoadError(`Failed to build microVM from snapshot: ${e instanceof Error ? e.message : String(e)}`);
  }
  vmm.booted = true;
  vmm.state = 'Paused';
  const us = Number((process.hrtime.bigint() - t0) / 1000n);
  recordLatency('load_snapshot', us);
  log('Info', 'main', W.rpc, `'load snapshot' VMM action took ${us} us.`);
  writeMetrics();
  if (p.resume_vm) await resumeVm(vmm);
}
