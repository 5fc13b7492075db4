/** The request bodies Firecracker accepts, as serde schemas, and the TypeScript shapes they yield. */
import { S } from './serde';
import type { Schema, StructSchema } from './serde';

export type Arch = 'x86_64' | 'aarch64';
export type Int = number | bigint;

export interface TokenBucket {
  size: Int;
  one_time_burst: Int | null;
  refill_time: Int;
}
export interface RateLimiter {
  bandwidth: TokenBucket | null;
  ops: TokenBucket | null;
}
export interface BootSourceConfig {
  kernel_image_path: string;
  initrd_path: string | null;
  boot_args: string | null;
}
export interface MachineConfig {
  vcpu_count: number;
  mem_size_mib: number;
  smt: boolean;
  cpu_template: string | null;
  track_dirty_pages: boolean;
  huge_pages: string;
}
export type MachineConfigUpdate = { [K in keyof MachineConfig]?: MachineConfig[K] | null };
export interface DriveConfig {
  drive_id: string;
  partuuid: string | null;
  is_root_device: boolean;
  cache_type: string;
  is_read_only: boolean | null;
  path_on_host: string | null;
  rate_limiter: RateLimiter | null;
  io_engine: string | null;
  socket: string | null;
}
export interface DriveUpdate {
  drive_id: string;
  path_on_host: string | null;
  rate_limiter: RateLimiter | null;
}
export interface NetConfig {
  iface_id: string;
  host_dev_name: string;
  guest_mac: string | null;
  rx_rate_limiter: RateLimiter | null;
  tx_rate_limiter: RateLimiter | null;
}
export interface NetUpdate {
  iface_id: string;
  rx_rate_limiter: RateLimiter | null;
  tx_rate_limiter: RateLimiter | null;
}
export interface VsockConfig {
  vsock_id: string | null;
  guest_cid: number;
  uds_path: string;
}
export interface BalloonConfig {
  amount_mib: number;
  deflate_on_oom: boolean;
  stats_polling_interval_s: number;
}
export interface LoggerConfig {
  log_path: string | null;
  level: string | null;
  show_level: boolean | null;
  show_log_origin: boolean | null;
  module: string | null;
}
export interface MetricsConfig {
  metrics_path: string;
}
export interface MmdsConfig {
  version: string;
  network_interfaces: string[];
  ipv4_address: string | null;
}
export interface EntropyConfig {
  rate_limiter: RateLimiter | null;
}
export interface SnapshotCreateParams {
  snapshot_type: 'Diff' | 'Full';
  snapshot_path: string;
  mem_file_path: string;
}
export interface MemBackend {
  backend_path: string;
  backend_type: 'File' | 'Uffd';
}
export interface NetworkOverride {
  iface_id: string;
  host_dev_name: string;
}
export interface SnapshotLoadParams {
  snapshot_path: string;
  mem_file_path: string | null;
  mem_backend: MemBackend | null;
  enable_diff_snapshots: boolean;
  resume_vm: boolean;
  network_overrides: NetworkOverride[];
}
export interface VmmConfigFile {
  balloon: BalloonConfig | null;
  drives: DriveConfig[];
  'boot-source': BootSourceConfig;
  'cpu-config': string | null;
  logger: LoggerConfig | null;
  'machine-config': MachineConfig | null;
  metrics: MetricsConfig | null;
  'mmds-config': MmdsConfig | null;
  'network-interfaces': NetConfig[];
  vsock: VsockConfig | null;
  entropy: EntropyConfig | null;
}

const MAC_RE = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;
const macSchema: Schema = {
  t: 'str',
  expecting: 'a string',
  check: (s) => (MAC_RE.test(s) ? null : 'The provided MAC address is invalid.'),
  map: (s) => s.toLowerCase(),
};
const ipv4Schema: Schema = {
  t: 'str',
  expecting: 'IPv4 address',
  positionedHere: true,
  check: (s) => {
    const parts = s.split('.');
    const ok = parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && !(p.length > 1 && p[0] === '0'));
    return ok ? null : 'invalid IPv4 address syntax';
  },
};
/** Log level names as Firecracker's LevelFilter parser accepts them. */
export const LEVELS: Record<string, string> = { off: 'Off', trace: 'Trace', debug: 'Debug', info: 'Info', warn: 'Warn', warning: 'Warn', error: 'Error' };
const levelSchema: Schema = {
  t: 'str',
  expecting: 'a string',
  check: (s) => (LEVELS[s.toLowerCase()] ? null : 'Invalid LevelFilter'),
  map: (s) => LEVELS[s.toLowerCase()]!,
};

const tokenBucket = S.struct('TokenBucketConfig', false, [
  S.req('size', S.u64),
  S.opt('one_time_burst', S.option(S.u64)),
  S.req('refill_time', S.u64),
]);
const rateLimiter = S.struct('RateLimiterConfig', true, [
  S.opt('bandwidth', S.option(tokenBucket)),
  S.opt('ops', S.option(tokenBucket)),
]);

export type Schemas = ReturnType<typeof buildSchemas>;

export function buildSchemas(arch: Arch) {
  // APPROX: variant order of the static CPU template enum as declared in the Rust source
  // (arch-specific variants are compiled out on the other architecture).
  const cpuTemplates = arch === 'aarch64' ? ['None', 'V1N1'] : ['C3', 'T2', 'T2S', 'None', 'T2CL', 'T2A'];
  const hugePages = S.enumOf('None', '2M');
  return {
    action: S.struct('ActionBody', true, [S.req('action_type', S.enumOf('FlushMetrics', 'InstanceStart', 'SendCtrlAltDel'))]),
    bootSource: S.struct('BootSourceConfig', true, [
      S.req('kernel_image_path', S.string),
      S.opt('initrd_path', S.option(S.string)),
      S.opt('boot_args', S.option(S.string)),
    ]),
    machineConfig: S.struct('MachineConfig', true, [
      S.req('vcpu_count', S.u8),
      S.req('mem_size_mib', S.usize),
      S.opt('smt', S.bool, false),
      S.opt('cpu_template', S.option(S.enumOf(...cpuTemplates))),
      S.opt('track_dirty_pages', S.bool, false),
      S.opt('huge_pages', hugePages, 'None'),
    ]),
    machineConfigUpdate: S.struct('MachineConfigUpdate', true, [
      S.opt('vcpu_count', S.option(S.u8)),
      S.opt('mem_size_mib', S.option(S.usize)),
      S.opt('smt', S.option(S.bool)),
      S.opt('cpu_template', S.option(S.enumOf(...cpuTemplates))),
      S.opt('track_dirty_pages', S.option(S.bool)),
      S.opt('huge_pages', S.option(hugePages)),
    ]),
    cpuConfig:
      arch === 'aarch64'
        ? S.struct('CustomCpuTemplate', true, [
          S.opt('kvm_capabilities', S.vec(S.any), () => []),
          S.opt('vcpu_features', S.vec(S.any), () => []),
          S.opt('reg_modifiers', S.vec(S.any), () => []),
        ])
        : S.struct('CustomCpuTemplate', true, [
          S.opt('kvm_capabilities', S.vec(S.any), () => []),
          S.opt('cpuid_modifiers', S.vec(S.any), () => []),
          S.opt('msr_modifiers', S.vec(S.any), () => []),
        ]),
    drive: S.struct('BlockDeviceConfig', true, [
      S.req('drive_id', S.string),
      S.opt('partuuid', S.option(S.string)),
      S.req('is_root_device', S.bool),
      S.opt('cache_type', S.enumOf('Unsafe', 'Writeback'), 'Unsafe'),
      S.opt('is_read_only', S.option(S.bool)),
      S.opt('path_on_host', S.option(S.string)),
      S.opt('rate_limiter', S.option(rateLimiter)),
      S.opt('io_engine', S.option(S.enumOf('Async', 'Sync'))),
      S.opt('socket', S.option(S.string)),
    ]),
    driveUpdate: S.struct('BlockDeviceUpdateConfig', true, [
      S.req('drive_id', S.string),
      S.opt('path_on_host', S.option(S.string)),
      S.opt('rate_limiter', S.option(rateLimiter)),
    ]),
    net: S.struct('NetworkInterfaceConfig', true, [
      S.req('iface_id', S.string),
      S.req('host_dev_name', S.string),
      S.opt('guest_mac', S.option(macSchema)),
      S.opt('rx_rate_limiter', S.option(rateLimiter)),
      S.opt('tx_rate_limiter', S.option(rateLimiter)),
    ]),
    netUpdate: S.struct('NetworkInterfaceUpdateConfig', true, [
      S.req('iface_id', S.string),
      S.opt('rx_rate_limiter', S.option(rateLimiter)),
      S.opt('tx_rate_limiter', S.option(rateLimiter)),
    ]),
    vsock: S.struct('VsockDeviceConfig', true, [
      S.opt('vsock_id', S.option(S.string)),
      S.req('guest_cid', S.u32),
      S.req('uds_path', S.string),
    ]),
    balloon: S.struct('BalloonDeviceConfig', true, [
      S.req('amount_mib', S.u32),
      S.req('deflate_on_oom', S.bool),
      S.opt('stats_polling_interval_s', S.u16, 0),
    ]),
    balloonUpdate: S.struct('BalloonUpdateConfig', true, [S.req('amount_mib', S.u32)]),
    balloonStatsUpdate: S.struct('BalloonUpdateStatsConfig', true, [S.req('stats_polling_interval_s', S.u16)]),
    logger: S.struct('LoggerConfig', true, [
      S.opt('log_path', S.option(S.path)),
      S.opt('level', S.option(levelSchema)),
      S.opt('show_level', S.option(S.bool)),
      S.opt('show_log_origin', S.option(S.bool)),
      S.opt('module', S.option(S.string)),
    ]),
    metrics: S.struct('MetricsConfig', false, [S.req('metrics_path', S.path)]),
    mmdsConfig: S.struct('MmdsConfig', true, [
      S.opt('version', S.enumOf('V1', 'V2'), 'V1'),
      S.req('network_interfaces', S.vec(S.string)),
      S.opt('ipv4_address', S.option(ipv4Schema)),
    ]),
    entropy: S.struct('EntropyDeviceConfig', true, [S.opt('rate_limiter', S.option(rateLimiter))]),
    snapshotCreate: S.struct('CreateSnapshotParams', true, [
      S.opt('snapshot_type', S.enumOf('Diff', 'Full'), 'Full'),
      S.req('snapshot_path', S.path),
      S.req('mem_file_path', S.path),
    ]),
    snapshotLoad: S.struct('LoadSnapshotConfig', true, [
      S.req('snapshot_path', S.path),
      S.opt('mem_file_path', S.option(S.path)),
      S.opt(
        'mem_backend',
        S.option(S.struct('MemBackendConfig', true, [S.req('backend_path', S.path), S.req('backend_type', S.enumOf('File', 'Uffd'))])),
      ),
      S.opt('enable_diff_snapshots', S.bool, false),
      S.opt('resume_vm', S.bool, false),
      S.opt(
        'network_overrides',
        S.vec(S.struct('NetworkOverride', false, [S.req('iface_id', S.string), S.req('host_dev_name', S.string)])),
        () => [],
      ),
    ]),
    vm: S.struct('Vm', true, [S.req('state', S.enumOf('Paused', 'Resumed'))]),
  };
}

/** The `--config-file` document (`VmmConfig`), which reuses the request bodies' schemas. */
export function configFileSchema(schemas: Schemas): StructSchema {
  return S.struct('VmmConfig', false, [
    S.opt('balloon', S.option(schemas.balloon)),
    S.req('drives', S.vec(schemas.drive)),
    S.req('boot-source', schemas.bootSource),
    S.opt('cpu-config', S.option(S.path)),
    S.opt('logger', S.option(schemas.logger)),
    S.opt('machine-config', S.option(schemas.machineConfig)),
    S.opt('metrics', S.option(schemas.metrics)),
    S.opt('mmds-config', S.option(schemas.mmdsConfig)),
    S.opt('network-interfaces', S.vec(schemas.net), () => []),
    S.opt('vsock', S.option(schemas.vsock)),
    S.opt('entropy', S.option(schemas.entropy)),
  ]);
}
