/** The emulated VMM's resources and state, and how GET /vm/config and /machine-config render them. */
import { closeSync } from 'node:fs';
import type { Server } from 'node:net';
import type { Guest } from './guest';
import type { JsonValue } from './json-text';
import type { Arch, BalloonConfig, BootSourceConfig, DriveConfig, EntropyConfig, MachineConfig, NetConfig, RateLimiter, Schemas, TokenBucket } from './schemas';
import { buildSchemas } from './schemas';

export type VmState = 'Not started' | 'Running' | 'Paused';

export interface DriveEntry {
  config: DriveConfig;
  fd: number | null;
}

export interface NetEntry {
  config: NetConfig;
  mmds: boolean;
}

export interface Vmm {
  arch: Arch;
  instanceId: string;
  payloadLimit: number;
  mmdsLimit: number;
  bootTimer: boolean;
  schemas: Schemas;
  state: VmState;
  booted: boolean;
  /** A boot-specific resource was configured (even unsuccessfully): a snapshot load is refused. */
  bootPathUsed: boolean;
  bootSource: { config: BootSourceConfig; kernelFd: number | null; initrdFd: number | null } | null;
  machine: MachineConfig;
  drives: DriveEntry[];
  nets: NetEntry[];
  vsock: { config: { guest_cid: number; uds_path: string }; server: Server } | null;
  balloon: BalloonConfig | null;
  balloonActualMib: number;
  entropy: EntropyConfig | null;
  mmdsVersion: string;
  mmdsIpv4: string;
  mmdsData: JsonValue;
  mmdsInitialized: boolean;
  /** Ctrl+Alt+Del sent while paused waits in the i8042 controller until the vCPUs run again. */
  pendingCtrlAltDel: boolean;
  guest: Guest | null;
}

export interface VmmOptions {
  arch: Arch;
  instanceId: string;
  payloadLimit: number;
  mmdsLimit: number;
  bootTimer: boolean;
}

export function createVmm(opts: VmmOptions): Vmm {
  return {
    ...opts,
    schemas: buildSchemas(opts.arch),
    state: 'Not started',
    booted: false,
    bootPathUsed: false,
    bootSource: null,
    machine: { vcpu_count: 1, mem_size_mib: 128, smt: false, cpu_template: null, track_dirty_pages: false, huge_pages: 'None' },
    drives: [],
    nets: [],
    vsock: null,
    balloon: null,
    balloonActualMib: 0,
    entropy: null,
    mmdsVersion: 'V1',
    mmdsIpv4: '169.254.169.254',
    mmdsData: {},
    mmdsInitialized: false,
    pendingCtrlAltDel: false,
    guest: null,
  };
}

export function closeFd(fd: number | null | undefined): void {
  if (fd === null || fd === undefined) return;
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

export function machineJson(vmm: Vmm): Record<string, unknown> {
  const m = vmm.machine;
  const out: Record<string, unknown> = { vcpu_count: m.vcpu_count, mem_size_mib: m.mem_size_mib, smt: m.smt };
  if (m.cpu_template && m.cpu_template !== 'None') out.cpu_template = m.cpu_template;
  out.track_dirty_pages = m.track_dirty_pages;
  out.huge_pages = m.huge_pages;
  return out;
}

/** A rate limiter as GET /vm/config reports it: disabled buckets (size or refill 0) and empty limiters are null. */
function limiterJson(rl: RateLimiter | null): Record<string, unknown> | null {
  if (!rl) return null;
  const bucket = (b: TokenBucket | null) => (b && b.size !== 0 && b.refill_time !== 0 ? { size: b.size, one_time_burst: b.one_time_burst ?? null, refill_time: b.refill_time } : null);
  const out = { bandwidth: bucket(rl.bandwidth), ops: bucket(rl.ops) };
  return out.bandwidth === null && out.ops === null ? null : out;
}

function mmdsConfigJson(vmm: Vmm): Record<string, unknown> | null {
  const ifaces = vmm.nets.filter((n) => n.mmds).map((n) => n.config.iface_id);
  if (!ifaces.length) return null;
  return { version: vmm.mmdsVersion, network_interfaces: ifaces, ipv4_address: vmm.mmdsIpv4 };
}

export function fullConfigJson(vmm: Vmm): Record<string, unknown> {
  return {
    balloon: vmm.balloon ? { ...vmm.balloon } : null,
    drives: vmm.drives.map((d) => ({ ...d.config, rate_limiter: limiterJson(d.config.rate_limiter) })),
    'boot-source': vmm.bootSource ? { ...vmm.bootSource.config } : { kernel_image_path: '', initrd_path: null, boot_args: null },
    'cpu-config': null,
    logger: null,
    'machine-config': machineJson(vmm),
    metrics: null,
    'mmds-config': mmdsConfigJson(vmm),
    'network-interfaces': vmm.nets.map((n) => ({
      ...n.config,
      rx_rate_limiter: limiterJson(n.config.rx_rate_limiter),
      tx_rate_limiter: limiterJson(n.config.tx_rate_limiter),
    })),
    vsock: vmm.vsock ? { guest_cid: vmm.vsock.config.guest_cid, uds_path: vmm.vsock.config.uds_path } : null,
    entropy: vmm.entropy ? { rate_limiter: limiterJson(vmm.entropy.rate_limiter) } : null,
  };
}

export function balloonStatsJson(vmm: Vmm): Record<string, unknown> {
  const b = vmm.balloon!;
  const totalBytes = vmm.machine.mem_size_mib * 1024 * 1024;
  const actual = vmm.balloonActualMib;
  return {
    target_pages: b.amount_mib * 256,
    actual_pages: actual * 256,
    target_mib: b.amount_mib,
    actual_mib: actual,
    swap_in: 0,
    swap_out: 0,
    major_faults: 12,
    minor_faults: 3400,
    free_memory: Math.max(0, totalBytes - actual * 1024 * 1024 - 24 * 1024 * 1024),
    total_memory: totalBytes,
    available_memory: Math.max(0, totalBytes - actual * 1024 * 1024 - 16 * 1024 * 1024),
    disk_caches: 4 * 1024 * 1024,
  };
}
