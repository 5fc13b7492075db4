import { hostMetricFields, vmMetricFields } from '../../shared/channels/metrics.js';
import type { HostMetricsNow, MetricsHistory, MetricsSampledEvent, VmMetricsNow } from '../../shared/channels/metrics.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { runHostScript } from '../ssh/host-script.js';
import { advanceHost, advanceVm } from './metrics-derive.js';
import type { HostTrack, VmTrack } from './metrics-derive.js';
import { metricsSample } from './metrics-scripts.js';
import { parseSample } from './sample-parse.js';
import type { RawSample } from './sample-parse.js';
import { createSeriesRing } from './series-ring.js';
import type { SeriesRing } from './series-ring.js';

export interface SamplerHost {
  connection: HostConnection;
  firedeckDir: string;
  cpus: number | null;
}

export interface HostSamplerOptions {
  hostId: string;
  /** The host's live connection and facts; rejects while it is not connected. */
  host(): Promise<SamplerHost>;
  intervalMs: number;
  /** How many samples each history keeps (the last hour at the interval, by default). */
  historyPoints: number;
  /** Disk figures (df, du) are read every this many samples: they change slowly and cost a fork each. */
  slowEvery?: number;
  /** A metrics file is emptied once the app has read past this many bytes of it. */
  truncateBytes?: number;
  /** The most VMs followed on one host; beyond it the longest-gone are forgotten first. */
  maxVms?: number;
  emit(event: MetricsSampledEvent): void;
  now?: () => number;
  onError?(error: unknown): void;
}

/** One host's sampler: one round trip per interval for the host and all its microVMs. */
export interface HostSampler {
  readonly running: boolean;
  start(): void;
  /**
   * Stops sampling; the history stays. A start soon after (a window going from the list to a VM
   * page drops one subscription before it makes the next) carries on where the files were read;
   * after a longer pause the next start re-learns where they end.
   */
  stop(): void;
  /** Takes one sample now (the timer calls it; tests and the first subscriber too). */
  sampleOnce(): Promise<void>;
  current(meta?: (vmId: string) => { vcpus?: number; memoryMib?: number } | undefined): { host: HostMetricsNow | null; vms: VmMetricsNow[] };
  history(vmId?: string, sinceT?: number): MetricsHistory;
  forgetVm(vmId: string): void;
  /** Samples taken since creation (for tests and benches). */
  readonly samples: number;
}

interface FollowedVm {
  track: VmTrack;
  ring: SeriesRing<(typeof vmMetricFields)[number]>;
  alive: boolean;
  lastSeen: number;
}

const DEFAULT_TRUNCATE_BYTES = 1024 * 1024;
const DEFAULT_MAX_VMS = 500;
/** A start within this many intervals of the stop continues reading the metrics files where it was. */
const RESUME_WITHIN_INTERVALS = 2;

export function createHostSampler(options: HostSamplerOptions): HostSampler {
  const now = options.now ?? Date.now;
  const slowEvery = options.slowEvery ?? 10;
  const truncateBytes = options.truncateBytes ?? DEFAULT_TRUNCATE_BYTES;
  const maxVms = options.maxVms ?? DEFAULT_MAX_VMS;
  const hostRing = createSeriesRing(hostMetricFields, options.historyPoints);
  const vms = new Map<string, FollowedVm>();
  let hostTrack: HostTrack | undefined;
  let hostNow: HostMetricsNow | null = null;
  let clock: { hz: number; pageBytes: number } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let inFlight: Promise<void> | undefined;
  let samples = 0;
  let stoppedAt: number | undefined;

  const offsets = () =>
    [...vms]
      .filter(([, vm]) => vm.alive && vm.track.offset !== null)
      .map(([id, vm]) => `${id}:${vm.track.offset}`)
      .join(' ');

  function absorb(raw: RawSample, t: number, cpus: number | null) {
    if (raw.clock) clock = raw.clock;
    const seen = new Set<string>();
    const shares: { cpuDeltaTicks: number | null; memBytes: number | null }[] = [];
    const points: MetricsSampledEvent['vms'] = [];
    for (const rawVm of raw.vms) {
      seen.add(rawVm.id);
      const followed = vms.get(rawVm.id);
      const { track, point, cpuDeltaTicks } = advanceVm(followed?.track, rawVm, { uptimeS: raw.uptimeS, hz: clock?.hz ?? 100, pageBytes: clock?.pageBytes ?? 4096, flushed: raw.flush !== 'none' });
      const ring = followed?.ring ?? createSeriesRing(vmMetricFields, options.historyPoints);
      ring.push(t, point);
      vms.set(rawVm.id, { track, ring, alive: true, lastSeen: t });
      shares.push({ cpuDeltaTicks, memBytes: track.memBytes });
      points.push({ id: rawVm.id, t, ...point, errorCount: track.errorCount });
    }
    for (const [id, vm] of vms) {
      if (seen.has(id)) continue;
      vm.alive = false;
      // A process that is gone: its history is kept for as long as a history lasts.
      if (t - vm.lastSeen > options.historyPoints * options.intervalMs) vms.delete(id);
    }
    if (vms.size > maxVms) {
      const gone = [...vms].filter(([, vm]) => !vm.alive).sort(([, a], [, b]) => a.lastSeen - b.lastSeen);
      for (const [id] of gone.slice(0, vms.size - maxVms)) vms.delete(id);
    }
    const { track, point } = advanceHost(hostTrack, raw, shares);
    hostTrack = track;
    hostRing.push(t, point);
    hostNow = {
      hostId: options.hostId,
      t,
      ...point,
      load5: raw.load?.[1] ?? null,
      load15: raw.load?.[2] ?? null,
      cpus,
      memTotalBytes: raw.mem ? raw.mem.totalKb * 1024 : null,
      diskTotalBytes: track.diskTotalKb === null ? null : track.diskTotalKb * 1024,
      flush: raw.flush,
    };
    options.emit({ hostId: options.hostId, t, host: { t, ...point }, vms: points });
  }

  async function sample(): Promise<void> {
    const host = await options.host();
    const slow = samples % slowEvery === 0;
    const result = await runHostScript(host.connection, metricsSample, [host.firedeckDir, offsets(), slow ? 'yes' : 'no', truncateBytes, clock ? `${clock.hz} ${clock.pageBytes}` : ''], {
      timeoutMs: Math.max(10_000, options.intervalMs * 3),
    });
    samples++;
    absorb(parseSample(result.output), now(), host.cpus);
  }

  function schedule(delayMs: number) {
    if (!running) return;
    timer = setTimeout(() => {
      const started = now();
      void sampler.sampleOnce().finally(() => schedule(Math.max(0, options.intervalMs - (now() - started))));
    }, delayMs);
    timer.unref();
  }

  const sampler: HostSampler = {
    get running() {
      return running;
    },
    get samples() {
      return samples;
    },
    start() {
      if (running) return;
      // While stopped for long the files may have been trimmed and Firecracker wrote on: a rate
      // over that whole pause would be no figure of now, so where they end is learnt again.
      // A short pause keeps the offsets, or every navigation would cost the charts a sample of rates.
      if (stoppedAt !== undefined && now() - stoppedAt > RESUME_WITHIN_INTERVALS * options.intervalMs) {
        for (const vm of vms.values()) vm.track.offset = null;
      }
      stoppedAt = undefined;
      running = true;
      schedule(0);
    },
    stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      stoppedAt ??= now();
    },
    sampleOnce() {
      // One sample at a time: a slow host gets fewer samples, never a pile of them.
      inFlight ??= sample()
        .catch((error: unknown) => options.onError?.(error))
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
    current(meta) {
      const list: VmMetricsNow[] = [];
      for (const [id, vm] of vms) {
        const last = vm.ring.last();
        if (!last) continue;
        const known = meta?.(id);
        list.push({
          ...last,
          id,
          hostId: options.hostId,
          ...(known?.vcpus ? { vcpus: known.vcpus } : {}),
          ...(known?.memoryMib ? { memoryMib: known.memoryMib } : {}),
          errors: Object.fromEntries(vm.track.errors),
          alive: vm.alive,
        });
      }
      return { host: hostNow, vms: list };
    },
    history(vmId, sinceT) {
      if (vmId === undefined) return { intervalMs: options.intervalMs, ...hostRing.columns(sinceT) };
      const vm = vms.get(vmId);
      if (!vm) return { intervalMs: options.intervalMs, t: [], series: Object.fromEntries(vmMetricFields.map((f) => [f, []])) };
      return { intervalMs: options.intervalMs, ...vm.ring.columns(sinceT) };
    },
    forgetVm(vmId) {
      vms.delete(vmId);
    },
  };
  return sampler;
}
