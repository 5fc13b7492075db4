/** Runs parsed requests against the VMM, as Firecracker's rpc_interface.rs does (state checks, metrics). */
import { openSync } from 'node:fs';
import { FC_VERSION } from './constants';
import { Fault, NOT_SUPPORTED_AFTER_START, NOT_SUPPORTED_BEFORE_START, vmmError } from './faults';
import type { JsonValue } from './json-text';
import { log, W } from './logger';
import { bumpMetric, writeMetrics } from './metrics';
import type { Action, ParsedRequest } from './routes';
import { ioText } from './rust-text';
import type * as T from './schemas';
import { createSnapshot, loadSnapshot } from './snapshot';
import type { Vmm } from './vmm';
import { balloonStatsJson, closeFd, fullConfigJson, machineJson } from './vmm';
import { pauseVm, resumeVm, sendCtrlAltDel, startMicrovm } from './vmm-actions';
import * as config from './vmm-config';

export interface Result {
  status: number;
  body: unknown;
  /** GET /mmds renders a serde_json::Value map: keys sorted. */
  sortKeys?: boolean;
}

/** Requests that mark the "boot path" (they forbid a later snapshot load, even when they fail). */
const BOOT_PATH_ACTIONS = new Set<Action>(['PutBootSource', 'PutDrive', 'PutNet', 'PutBalloon', 'PutMmdsConfig', 'PutMachineConfig', 'PatchMachineConfig', 'PutVsock', 'PutEntropy']);
const PRE_BOOT_ONLY = new Set<Action>([...BOOT_PATH_ACTIONS, 'PutCpuConfig', 'PutLogger', 'PutMetrics', 'InstanceStart', 'LoadSnapshot']);
const POST_BOOT_ONLY = new Set<Action>(['GetBalloonStats', 'PatchDrive', 'PatchNet', 'PatchBalloon', 'PatchBalloonStats', 'FlushMetrics', 'SendCtrlAltDel', 'Pause', 'Resume', 'CreateSnapshot']);

const METRIC_KEYS: Partial<Record<Action, [string, string]>> = {
  GetInstanceInfo: ['get_api_requests', 'instance_info'],
  GetVersion: ['get_api_requests', 'vmm_version'],
  GetMachineConfig: ['get_api_requests', 'machine_cfg'],
  GetMmds: ['get_api_requests', 'mmds'],
  InstanceStart: ['put_api_requests', 'actions'],
  FlushMetrics: ['put_api_requests', 'actions'],
  SendCtrlAltDel: ['put_api_requests', 'actions'],
  PutBootSource: ['put_api_requests', 'boot_source'],
  PutDrive: ['put_api_requests', 'drive'],
  PutLogger: ['put_api_requests', 'logger'],
  PutMachineConfig: ['put_api_requests', 'machine_cfg'],
  PutCpuConfig: ['put_api_requests', 'cpu_cfg'],
  PutMetrics: ['put_api_requests', 'metrics'],
  PutNet: ['put_api_requests', 'network'],
  PutMmds: ['put_api_requests', 'mmds'],
  PutMmdsConfig: ['put_api_requests', 'mmds'],
  PutVsock: ['put_api_requests', 'vsock'],
  PatchDrive: ['patch_api_requests', 'drive'],
  PatchNet: ['patch_api_requests', 'network'],
  PatchMachineConfig: ['patch_api_requests', 'machine_cfg'],
  PatchMmds: ['patch_api_requests', 'mmds'],
};

/** Runs one parsed request against the VMM. Rejects with a Fault for an error answer. */
export async function dispatch(vmm: Vmm, req: ParsedRequest): Promise<Result> {
  const { action, payload } = req;
  const mk = METRIC_KEYS[action];
  if (mk) bumpMetric(mk[0], `${mk[1]}_count`);
  try {
    if (!vmm.booted && BOOT_PATH_ACTIONS.has(action)) vmm.bootPathUsed = true;
    if (vmm.booted && PRE_BOOT_ONLY.has(action)) throw new Fault(NOT_SUPPORTED_AFTER_START);
    if (!vmm.booted && POST_BOOT_ONLY.has(action)) throw new Fault(NOT_SUPPORTED_BEFORE_START);
    return await execute(vmm, action, payload);
  } catch (e) {
    if (mk && mk[0] !== 'get_api_requests') bumpMetric(mk[0], `${mk[1]}_fails`);
    throw e;
  }
}

const OK: Result = { status: 204, body: null };

async function execute(vmm: Vmm, action: Action, p: unknown): Promise<Result> {
  switch (action) {
    case 'GetInstanceInfo':
      return { status: 200, body: { id: vmm.instanceId, state: vmm.state, vmm_version: FC_VERSION, app_name: 'Firecracker' } };
    case 'GetVersion':
      return { status: 200, body: { firecracker_version: FC_VERSION } };
    case 'GetMachineConfig':
      return { status: 200, body: machineJson(vmm) };
    case 'GetFullConfig':
      if (!vmm.booted) log('Warn', 'main', W.rpc, 'If the VM was restored from snapshot, boot-source, machine-config.smt, and machine-config.cpu_template will all be empty.');
      return { status: 200, body: fullConfigJson(vmm) };
    case 'GetMmds':
      return { status: 200, body: vmm.mmdsInitialized ? vmm.mmdsData : {}, sortKeys: true };
    case 'GetBalloon':
      if (!vmm.balloon) throw vmmError('Balloon', vmm.booted ? 'Error creating the balloon device: No balloon device found.' : 'No balloon device found.');
      return { status: 200, body: { ...vmm.balloon } };
    case 'GetBalloonStats':
      if (!vmm.balloon) throw vmmError('Balloon', 'Error creating the balloon device: No balloon device found.');
      if (vmm.balloon.stats_polling_interval_s === 0) throw vmmError('Balloon', 'Error creating the balloon device: Received stats querry when stats are disabled.');
      return { status: 200, body: balloonStatsJson(vmm) };
    case 'PutBootSource':
      config.setBootSource(vmm, p as T.BootSourceConfig);
      return OK;
    case 'PutMachineConfig':
      config.updateMachineConfig(vmm, { ...(p as T.MachineConfig) });
      return OK;
    case 'PatchMachineConfig':
      config.updateMachineConfig(vmm, p as T.MachineConfigUpdate);
      return OK;
    case 'PutCpuConfig':
      return OK;
    case 'PutDrive':
      config.insertDrive(vmm, p as T.DriveConfig);
      return OK;
    case 'PutNet':
      config.insertNet(vmm, p as T.NetConfig);
      return OK;
    case 'PutVsock':
      config.setVsock(vmm, p as T.VsockConfig);
      return OK;
    case 'PutBalloon':
      config.setBalloon(vmm, p as T.BalloonConfig);
      return OK;
    case 'PutEntropy':
      vmm.entropy = { rate_limiter: (p as T.EntropyConfig).rate_limiter };
      return OK;
    case 'PutLogger':
      config.setLogger(p as T.LoggerConfig);
      return OK;
    case 'PutMetrics':
      config.setMetrics((p as T.MetricsConfig).metrics_path);
      return OK;
    case 'PutMmdsConfig':
      config.setMmdsConfig(vmm, p as T.MmdsConfig);
      return OK;
    case 'PutMmds':
      config.putMmdsData(vmm, p as JsonValue);
      return OK;
    case 'PatchMmds':
      config.patchMmdsData(vmm, p as JsonValue);
      return OK;
    case 'InstanceStart':
      await startMicrovm(vmm);
      return OK;
    case 'FlushMetrics':
      writeMetrics();
      return OK;
    case 'SendCtrlAltDel':
      sendCtrlAltDel(vmm);
      return OK;
    case 'Pause':
      await pauseVm(vmm);
      return OK;
    case 'Resume':
      await resumeVm(vmm);
      return OK;
    case 'CreateSnapshot':
      await createSnapshot(vmm, p as T.SnapshotCreateParams);
      return OK;
    case 'LoadSnapshot':
      await loadSnapshot(vmm, p as T.SnapshotLoadParams);
      return OK;
    case 'PatchDrive':
      patchDrive(vmm, p as T.DriveUpdate);
      return OK;
    case 'PatchNet': {
      const u = p as T.NetUpdate;
      const n = vmm.nets.find((x) => x.config.iface_id === u.iface_id);
      // APPROX: the text for an unknown interface id is not pinned by any test of the real binary.
      if (!n) throw vmmError('Net', `Device manager error: Invalid device ID: ${u.iface_id}`);
      if (u.rx_rate_limiter !== null) n.config = { ...n.config, rx_rate_limiter: u.rx_rate_limiter };
      if (u.tx_rate_limiter !== null) n.config = { ...n.config, tx_rate_limiter: u.tx_rate_limiter };
      return OK;
    }
    case 'PatchBalloon': {
      const u = p as { amount_mib: number };
      if (!vmm.balloon) throw vmmError('Balloon', 'Error creating the balloon device: No balloon device found.');
      if (u.amount_mib * 256 > 0xffffffff) throw vmmError('Balloon', 'Error creating the balloon device: Amount of pages requested cannot fit in `u32`.');
      vmm.balloon = { ...vmm.balloon, amount_mib: u.amount_mib };
      // The guest's balloon driver complies at once, within what it can give back.
      vmm.balloonActualMib = Math.min(u.amount_mib, vmm.machine.mem_size_mib);
      return OK;
    }
    case 'PatchBalloonStats': {
      const u = p as { stats_polling_interval_s: number };
      if (!vmm.balloon) throw vmmError('Balloon', 'Error creating the balloon device: No balloon device found.');
      if ((vmm.balloon.stats_polling_interval_s === 0) !== (u.stats_polling_interval_s === 0)) {
        throw vmmError('Balloon', 'Error creating the balloon device: Statistics cannot be enabled/disabled after activation.');
      }
      vmm.balloon = { ...vmm.balloon, stats_polling_interval_s: u.stats_polling_interval_s };
      return OK;
    }
  }
}

function patchDrive(vmm: Vmm, p: T.DriveUpdate): void {
  const d = vmm.drives.find((x) => x.config.drive_id === p.drive_id);
  const tail = ' Please verify the request arguments.';
  // APPROX: the text for an unknown drive id is not pinned by any test of the real binary.
  if (!d) throw vmmError('Drive', `Unable to patch the block device: Device manager error: Invalid device ID: ${p.drive_id}.${tail}`);
  if (d.config.socket !== null || (p.path_on_host === null && p.rate_limiter === null)) {
    throw vmmError('Drive', `Unable to patch the block device: Device manager error: Running method expected different backend.${tail}`);
  }
  if (p.path_on_host !== null) {
    let fd: number;
    try {
      fd = openSync(p.path_on_host, d.config.is_read_only ? 'r' : 'r+');
    } catch (e) {
      throw vmmError('Drive', `Unable to patch the block device: Device manager error: Virtio backend error: Error manipulating the backing file: ${ioText(e)} ${p.path_on_host}${tail}`);
    }
    closeFd(d.fd);
    d.fd = fd;
    d.config = { ...d.config, path_on_host: p.path_on_host };
  }
  if (p.rate_limiter !== null) d.config = { ...d.config, rate_limiter: p.rate_limiter };
}
