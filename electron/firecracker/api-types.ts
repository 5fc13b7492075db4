/**
 * Firecracker API bodies (v1.12.0; later versions add optional fields, which pass through
 * untouched). Names follow the API's snake_case so bodies go over the wire as they are.
 */

export type InstanceState = 'Not started' | 'Running' | 'Paused';

export interface InstanceInfo {
  app_name: string;
  id: string;
  state: InstanceState;
  vmm_version: string;
  [extra: string]: unknown;
}

export interface MachineConfig {
  vcpu_count: number;
  mem_size_mib: number;
  smt?: boolean;
  track_dirty_pages?: boolean;
  cpu_template?: string;
  huge_pages?: 'None' | '2M';
  [extra: string]: unknown;
}

export interface BootSource {
  kernel_image_path: string;
  boot_args?: string;
  initrd_path?: string;
}

export interface RateLimiter {
  bandwidth?: { size: number; one_time_burst?: number; refill_time: number };
  ops?: { size: number; one_time_burst?: number; refill_time: number };
}

export interface Drive {
  drive_id: string;
  is_root_device: boolean;
  path_on_host?: string;
  is_read_only?: boolean;
  partuuid?: string;
  cache_type?: 'Unsafe' | 'Writeback';
  io_engine?: 'Sync' | 'Async';
  rate_limiter?: RateLimiter;
  socket?: string;
  [extra: string]: unknown;
}

export interface PartialDrive {
  drive_id: string;
  path_on_host?: string;
  rate_limiter?: RateLimiter;
}

export interface NetworkInterface {
  iface_id: string;
  host_dev_name: string;
  guest_mac?: string;
  rx_rate_limiter?: RateLimiter;
  tx_rate_limiter?: RateLimiter;
  [extra: string]: unknown;
}

export interface PartialNetworkInterface {
  iface_id: string;
  rx_rate_limiter?: RateLimiter;
  tx_rate_limiter?: RateLimiter;
}

export interface Logger {
  log_path?: string;
  level?: 'Error' | 'Warning' | 'Info' | 'Debug' | 'Trace' | 'Off';
  show_level?: boolean;
  show_log_origin?: boolean;
  module?: string;
}

export interface Metrics {
  metrics_path: string;
}

export interface MmdsConfig {
  network_interfaces: string[];
  version?: 'V1' | 'V2';
  ipv4_address?: string;
}

export interface EntropyDevice {
  rate_limiter?: RateLimiter;
}

export interface Vsock {
  guest_cid: number;
  uds_path: string;
  vsock_id?: string;
}

export interface Balloon {
  amount_mib: number;
  deflate_on_oom: boolean;
  stats_polling_interval_s?: number;
}

export interface BalloonStats {
  target_pages: number;
  actual_pages: number;
  target_mib: number;
  actual_mib: number;
  [extra: string]: unknown;
}

export type ActionType = 'InstanceStart' | 'SendCtrlAltDel' | 'FlushMetrics';

export interface SnapshotCreateParams {
  snapshot_path: string;
  mem_file_path: string;
  snapshot_type?: 'Full' | 'Diff';
}

export interface SnapshotLoadParams {
  snapshot_path: string;
  mem_file_path?: string;
  mem_backend?: { backend_type: 'File' | 'Uffd'; backend_path: string };
  enable_diff_snapshots?: boolean;
  resume_vm?: boolean;
  network_overrides?: { iface_id: string; host_dev_name: string }[];
}

/** `GET /vm/config`: the whole configuration, as PUT before boot. */
export interface FullVmConfiguration {
  'boot-source'?: BootSource;
  'machine-config'?: MachineConfig;
  drives?: Drive[];
  'network-interfaces'?: NetworkInterface[];
  balloon?: Balloon;
  logger?: Logger;
  metrics?: Metrics;
  'mmds-config'?: MmdsConfig;
  vsock?: Vsock;
  entropy?: EntropyDevice;
  [extra: string]: unknown;
}
