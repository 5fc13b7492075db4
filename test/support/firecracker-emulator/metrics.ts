/** Firecracker's metrics: one process-wide store (a global METRICS in Firecracker), written as JSON lines. */
import { writeSync } from 'node:fs';
import { METRICS_PERIOD_MS } from './constants';
import { toJson } from './json-text';

/** What the metrics file lists per device: set once the VMM exists. */
export interface MetricsSource {
  arch: string;
  driveIds(): string[];
  ifaceIds(): string[];
}

export const metrics = {
  fd: null as number | null,
  counters: new Map<string, number>(),
  store: { process_startup_time_us: 0, process_startup_time_cpu_us: 0 },
  latencies: {} as Record<string, number>,
  timer: null as NodeJS.Timeout | null,
  source: null as MetricsSource | null,
};

export function bumpMetric(group: string, field: string, by = 1): void {
  const key = `${group}.${field}`;
  metrics.counters.set(key, (metrics.counters.get(key) ?? 0) + by);
}

/**
 * Counts I/O of one device, as Firecracker's devices do: under the device's own group
 * (`block_rootfs`, `net_eth0`) and under the aggregate (`block`, `net`), which sums all devices.
 */
export function bumpDeviceMetric(kind: 'block' | 'net', deviceId: string, field: string, by = 1): void {
  bumpMetric(`${kind}_${deviceId}`, field, by);
  bumpMetric(kind, field, by);
}

/** Records how long a VMM action took, under both its API and VMM latency names. */
export function recordLatency(name: string, us: number): void {
  metrics.latencies[name] = us;
  metrics.latencies[`vmm_${name}`] = us;
}

/**
 * APPROX: the group layout follows Firecracker's metrics file (one JSON object per line, counters
 * are deltas since the last write) but only a representative subset of fields is present.
 */
function metricsSnapshot(): Record<string, unknown> {
  const c = (group: string, ...fields: string[]) => {
    const o: Record<string, number> = {};
    for (const f of fields) o[f] = metrics.counters.get(`${group}.${f}`) ?? 0;
    return o;
  };
  const src = metrics.source;
  const out: Record<string, unknown> = { utc_timestamp_ms: Date.now() };
  out.api_server = {
    process_startup_time_us: metrics.store.process_startup_time_us,
    process_startup_time_cpu_us: metrics.store.process_startup_time_cpu_us,
    ...c('api_server', 'sync_response_fails', 'sync_vmm_send_timeout_count'),
  };
  out.balloon = c('balloon', 'activate_fails', 'inflate_count', 'stats_updates_count', 'stats_update_fails', 'deflate_count', 'event_fails');
  const blockFields = ['activate_fails', 'cfg_fails', 'no_avail_buffer', 'event_fails', 'execute_fails', 'invalid_reqs_count', 'flush_count', 'queue_event_count', 'rate_limiter_event_count', 'update_count', 'update_fails', 'read_bytes', 'write_bytes', 'read_count', 'write_count', 'rate_limiter_throttled_events', 'io_engine_throttled_events'];
  for (const id of src?.driveIds() ?? []) out[`block_${id}`] = c(`block_${id}`, ...blockFields);
  out.block = c('block', ...blockFields);
  out.deprecated_api = c('deprecated_api', 'deprecated_http_api_calls', 'deprecated_cmd_line_api_calls');
  out.get_api_requests = c('get_api_requests', 'instance_info_count', 'machine_cfg_count', 'mmds_count', 'vmm_version_count');
  out.i8042 = c('i8042', 'error_count', 'missed_read_count', 'missed_write_count', 'read_count', 'reset_count', 'write_count');
  if (src?.arch === 'aarch64') out.rtc = c('rtc', 'error_count', 'missed_read_count', 'missed_write_count');
  out.uart = c('uart', 'error_count', 'flush_count', 'missed_read_count', 'missed_write_count', 'read_count', 'write_count');
  const lat: Record<string, number> = {};
  for (const f of ['full_create_snapshot', 'diff_create_snapshot', 'load_snapshot', 'pause_vm', 'resume_vm', 'vmm_full_create_snapshot', 'vmm_diff_create_snapshot', 'vmm_load_snapshot', 'vmm_pause_vm', 'vmm_resume_vm']) {
    lat[f] = metrics.latencies[f] ?? 0;
  }
  out.latencies_us = lat;
  out.logger = c('logger', 'missed_metrics_count', 'metrics_fails', 'missed_log_count', 'log_fails');
  out.mmds = c('mmds', 'rx_accepted', 'rx_accepted_err', 'rx_accepted_unusual', 'rx_bad_eth', 'rx_count', 'tx_bytes', 'tx_count', 'tx_errors', 'tx_frames', 'connections_created', 'connections_destroyed');
  const netFields = ['activate_fails', 'cfg_fails', 'mac_address_updates', 'no_rx_avail_buffer', 'no_tx_avail_buffer', 'event_fails', 'rx_queue_event_count', 'rx_event_rate_limiter_count', 'rx_tap_event_count', 'rx_bytes_count', 'rx_packets_count', 'rx_fails', 'rx_count', 'tx_bytes_count', 'tx_packets_count', 'tx_fails', 'tx_count', 'tx_queue_event_count'];
  for (const id of src?.ifaceIds() ?? []) out[`net_${id}`] = c(`net_${id}`, ...netFields);
  out.net = c('net', ...netFields);
  out.patch_api_requests = c('patch_api_requests', 'drive_count', 'drive_fails', 'network_count', 'network_fails', 'machine_cfg_count', 'machine_cfg_fails', 'mmds_count', 'mmds_fails');
  out.put_api_requests = c('put_api_requests', 'actions_count', 'actions_fails', 'boot_source_count', 'boot_source_fails', 'drive_count', 'drive_fails', 'logger_count', 'logger_fails', 'machine_cfg_count', 'machine_cfg_fails', 'cpu_cfg_count', 'cpu_cfg_fails', 'metrics_count', 'metrics_fails', 'network_count', 'network_fails', 'mmds_count', 'mmds_fails', 'vsock_count', 'vsock_fails');
  out.seccomp = c('seccomp', 'num_faults');
  out.vcpu = c('vcpu', 'exit_io_in', 'exit_io_out', 'exit_mmio_read', 'exit_mmio_write', 'failures');
  out.vmm = c('vmm', 'device_events', 'panic_count');
  out.signals = c('signals', 'sigbus', 'sigsegv', 'sigxfsz', 'sigxcpu', 'sigpipe', 'sighup', 'sigill');
  out.vsock = c('vsock', 'activate_fails', 'cfg_fails', 'rx_queue_event_fails', 'tx_queue_event_fails', 'ev_queue_event_fails', 'muxer_event_fails', 'conn_event_fails', 'rx_queue_event_count', 'tx_queue_event_count', 'rx_bytes_count', 'tx_bytes_count', 'rx_packets_count', 'tx_packets_count', 'conns_added', 'conns_killed', 'conns_removed', 'killq_resync', 'tx_flush_fails', 'tx_write_fails', 'rx_read_fails');
  out.entropy = c('entropy', 'activate_fails', 'entropy_event_fails', 'entropy_event_count', 'entropy_bytes', 'host_rng_fails', 'entropy_rate_limiter_throttled', 'rate_limiter_event_count');
  return out;
}

/** Writes one metrics line (silently skipped when metrics were never configured). */
export function writeMetrics(): void {
  if (metrics.fd === null) return;
  const line = `${toJson(metricsSnapshot())}\n`;
  metrics.counters.clear();
  try {
    writeSync(metrics.fd, line);
  } catch {
    bumpMetric('logger', 'missed_metrics_count');
  }
}

export function startPeriodicMetrics(): void {
  stopPeriodicMetrics();
  metrics.timer = setInterval(writeMetrics, METRICS_PERIOD_MS);
}

export function stopPeriodicMetrics(): void {
  if (metrics.timer) clearInterval(metrics.timer);
  metrics.timer = null;
}
