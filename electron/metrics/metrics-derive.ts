import type { HostMetricField, VmMetricField } from '../../shared/channels/metrics.js';
import type { RawSample, RawVmSample } from './sample-parse.js';

/**
 * CPU use of a process in percent of one core, from its utime+stime in clock ticks at two
 * moments `dtS` seconds apart (host time). Null when it cannot be known: no earlier reading, a
 * counter that went backwards (another process now has the pid), or no time between them.
 */
export function cpuPercent(previousTicks: number | undefined, ticks: number, hz: number, dtS: number): number | null {
  if (previousTicks === undefined || !(dtS > 0) || !(hz > 0) || ticks < previousTicks) return null;
  return ((ticks - previousTicks) / hz / dtS) * 100;
}

/** Bytes per second from a byte count accumulated over `dtS` seconds. */
export function perSecond(bytes: number | null, dtS: number): number | null {
  if (bytes === null || !(dtS > 0) || bytes < 0) return null;
  return bytes / dtS;
}

/** Groups whose counters are requests made to the API (Firedeck's own FlushMetrics among them), not the VM's errors. */
const API_GROUPS = new Set(['put_api_requests', 'patch_api_requests', 'get_api_requests', 'deprecated_api', 'api_server', 'latencies_us']);

/** Whether `group.field` of a Firecracker metrics line counts something that went wrong. */
export function isErrorCounter(group: string, field: string): boolean {
  if (API_GROUPS.has(group)) return false;
  if (group === 'signals') return true;
  return (
    field.endsWith('_fails') ||
    field.endsWith('_errors') ||
    field === 'failures' ||
    field === 'rx_accepted_err' ||
    field === 'error_count' ||
    field === 'panic_count' ||
    field === 'num_faults' ||
    field.startsWith('missed_') ||
    field.endsWith('throttled_events') ||
    field.endsWith('_throttled') ||
    field === 'invalid_reqs_count'
  );
}

/** What a run of Firecracker metrics lines adds up to (each line holds what changed since the one before). */
export interface LinesTotal {
  diskReadBytes: number;
  diskWriteBytes: number;
  netRxBytes: number;
  netTxBytes: number;
  errors: Map<string, number>;
  /** How many lines could be read. */
  lines: number;
}

/** Most distinct error counters kept per VM: Firecracker has a few dozen; anything past this is dropped. */
export const MAX_ERROR_KEYS = 256;

/**
 * Sums metrics lines. Only the aggregate `block` and `net` groups feed the rates (the per-device
 * `block_<id>`/`net_<id>` groups repeat them), and error counters are taken from every group
 * except the per-device copies. A line that is not JSON is skipped.
 */
export function sumLines(lines: readonly string[]): LinesTotal {
  const total: LinesTotal = { diskReadBytes: 0, diskWriteBytes: 0, netRxBytes: 0, netTxBytes: 0, errors: new Map(), lines: 0 };
  for (const line of lines) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null) continue;
    total.lines++;
    const groups = parsed as Record<string, unknown>;
    const counter = (group: string, field: string) => {
      const value = (groups[group] as Record<string, unknown> | undefined)?.[field];
      return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
    };
    total.diskReadBytes += counter('block', 'read_bytes');
    total.diskWriteBytes += counter('block', 'write_bytes');
    total.netRxBytes += counter('net', 'rx_bytes_count');
    total.netTxBytes += counter('net', 'tx_bytes_count');
    for (const [group, fields] of Object.entries(groups)) {
      if (typeof fields !== 'object' || fields === null || /^(block|net)_/.test(group)) continue;
      for (const [field, value] of Object.entries(fields as Record<string, unknown>)) {
        if (typeof value !== 'number' || !isErrorCounter(group, field)) continue;
        const key = `${group}.${field}`;
        if (!total.errors.has(key) && total.errors.size >= MAX_ERROR_KEYS) continue;
        total.errors.set(key, (total.errors.get(key) ?? 0) + Math.max(0, value));
      }
    }
  }
  return total;
}

/** What the app remembers of one VM's process between samples. */
export interface VmTrack {
  pid: number;
  startTicks: number;
  cpuTicks: number;
  uptimeS: number;
  /** Bytes of its metrics file already read; null until the file's end is known. */
  offset: number | null;
  /** Samples in a row whose flush added nothing to the file: after a few, the offset is re-learnt. */
  quietFlushes: number;
  /** Error counters summed since the app began to follow this process. */
  errors: Map<string, number>;
  errorCount: number;
  memBytes: number | null;
}

/** After this many flushes that added nothing, the file is assumed rewritten and its end is read again. */
const QUIET_FLUSHES = 3;

/**
 * One VM's step from its previous track to this sample: its point (rates over the time since
 * the previous sample) and its new track. A new process (other pid or start time) starts over:
 * no CPU figure, no rates, the offset re-learnt, errors from zero. Disk and network rates need
 * metrics lines read from a known offset; a sample that only learnt where the file ends has none.
 */
export function advanceVm(
  previous: VmTrack | undefined,
  raw: RawVmSample,
  now: { uptimeS: number; hz: number; pageBytes: number; flushed: boolean },
): { track: VmTrack; point: Record<VmMetricField, number | null>; cpuDeltaTicks: number | null } {
  const same = previous !== undefined && previous.pid === raw.pid && previous.startTicks === raw.startTicks;
  const dtS = same ? now.uptimeS - previous.uptimeS : 0;
  const track: VmTrack = {
    pid: raw.pid,
    startTicks: raw.startTicks,
    cpuTicks: raw.cpuTicks,
    uptimeS: now.uptimeS,
    offset: same ? previous.offset : null,
    quietFlushes: same ? previous.quietFlushes : 0,
    errors: same ? previous.errors : new Map(),
    errorCount: same ? previous.errorCount : 0,
    memBytes: raw.rssPages === null ? null : raw.rssPages * now.pageBytes,
  };
  const point: Record<VmMetricField, number | null> = {
    cpuPct: same ? cpuPercent(previous.cpuTicks, raw.cpuTicks, now.hz, dtS) : null,
    memBytes: track.memBytes,
    diskReadBps: null,
    diskWriteBps: null,
    netRxBps: null,
    netTxBps: null,
  };
  const metrics = raw.metrics;
  if (!metrics) {
    track.offset = null;
  } else if (metrics.kind === 'size') {
    track.offset = metrics.bytes;
  } else if (!same) {
    // Lines read at the old process's offset say nothing about the new one.
    track.offset = null;
  } else {
    track.offset = (track.offset ?? 0) + metrics.bytes;
    track.quietFlushes = metrics.bytes === 0 && now.flushed ? track.quietFlushes + 1 : 0;
    if (track.quietFlushes >= QUIET_FLUSHES) {
      track.offset = null;
      track.quietFlushes = 0;
    }
    const sum = sumLines(metrics.lines);
    if (sum.lines > 0 || now.flushed) {
      point.diskReadBps = perSecond(sum.diskReadBytes, dtS);
      point.diskWriteBps = perSecond(sum.diskWriteBytes, dtS);
      point.netRxBps = perSecond(sum.netRxBytes, dtS);
      point.netTxBps = perSecond(sum.netTxBytes, dtS);
    }
    for (const [key, value] of sum.errors) {
      if (!track.errors.has(key) && track.errors.size >= MAX_ERROR_KEYS) continue;
      track.errors.set(key, (track.errors.get(key) ?? 0) + value);
      track.errorCount += value;
    }
  }
  return { track, point, cpuDeltaTicks: same && raw.cpuTicks >= previous.cpuTicks ? raw.cpuTicks - previous.cpuTicks : null };
}

/** What the app remembers of the host between samples. */
export interface HostTrack {
  uptimeS: number;
  stat: { busy: number; total: number } | null;
  diskUsedKb: number | null;
  diskTotalKb: number | null;
  vmDiskKb: number | null;
}

/**
 * The host's point: its CPU busy share since the previous sample, load, memory in use, disk in
 * use (carried from the last slow sample), and the VMs' share: their CPU as a share of all the
 * host's CPU time, their resident memory, their run directories' disk use.
 */
export function advanceHost(
  previous: HostTrack | undefined,
  raw: RawSample,
  vms: { cpuDeltaTicks: number | null; memBytes: number | null }[],
): { track: HostTrack; point: Record<HostMetricField, number | null> } {
  const dTotal = previous?.stat && raw.stat && raw.stat.total > previous.stat.total ? raw.stat.total - previous.stat.total : null;
  const dBusy = dTotal !== null && raw.stat!.busy >= previous!.stat!.busy ? raw.stat!.busy - previous!.stat!.busy : null;
  const track: HostTrack = {
    uptimeS: raw.uptimeS,
    stat: raw.stat,
    diskUsedKb: raw.disk?.usedKb ?? previous?.diskUsedKb ?? null,
    diskTotalKb: raw.disk?.totalKb ?? previous?.diskTotalKb ?? null,
    vmDiskKb: raw.vmDiskKb ?? previous?.vmDiskKb ?? null,
  };
  const vmTicks = vms.every((vm) => vm.cpuDeltaTicks !== null) ? vms.reduce((sum, vm) => sum + vm.cpuDeltaTicks!, 0) : null;
  return {
    track,
    point: {
      load1: raw.load?.[0] ?? null,
      cpuPct: dTotal !== null && dBusy !== null ? (dBusy / dTotal) * 100 : null,
      memUsedBytes: raw.mem ? (raw.mem.totalKb - raw.mem.availableKb) * 1024 : null,
      diskUsedBytes: track.diskUsedKb === null ? null : track.diskUsedKb * 1024,
      vmCpuPct: dTotal !== null && vmTicks !== null ? (vmTicks / dTotal) * 100 : null,
      vmMemBytes: vms.reduce((sum, vm) => sum + (vm.memBytes ?? 0), 0),
      vmDiskBytes: track.vmDiskKb === null ? null : track.vmDiskKb * 1024,
    },
  };
}
