import type { BootTimesSummary, HostMetricPoint, MetricsCurrent, MetricsHistory, MetricsSampledEvent, VmMetricPoint } from '../../shared/channels/metrics';
import { patchSlice } from './slice';
import type { SliceContext } from './slice';

/** Points a VM row's sparklines keep (a couple of minutes at the default interval). */
export const SPARK_POINTS = 40;
/** A chart's history is cut to this many points, whatever arrives. */
export const MAX_HISTORY_POINTS = 2_000;

export type VmPointWithErrors = VmMetricPoint & { errorCount: number };

export interface MetricsSlice {
  /** Latest point per host, and per VM (`hostId/vmId`). */
  hosts: Record<string, HostMetricPoint>;
  vms: Record<string, VmPointWithErrors>;
  /** Short rolling series per VM for sparklines: `{ t, cpuPct, memBytes }` columns. */
  sparks: Record<string, { t: number[]; cpuPct: (number | null)[]; memBytes: (number | null)[] }>;
  /** Histories a panel asked for (`hostId` for the host, `hostId/vmId` for a VM), kept up to date by samples. */
  histories: Record<string, MetricsHistory>;
  /** Current details (error counters, totals) of hosts a panel shows. */
  current: Record<string, MetricsCurrent>;
  bootTimes: Record<string, BootTimesSummary>;
  /** Starts sampling for this window; returns the subscription to end. */
  subscribe(hostId?: string): Promise<string | undefined>;
  unsubscribe(subscriptionId: string): Promise<void>;
  loadHistory(hostId: string, vmId?: string): Promise<void>;
  /** Stops keeping a history up to date (the panel showing it went away). */
  dropHistory(hostId: string, vmId?: string): void;
  loadCurrent(hostId: string): Promise<void>;
  loadBootTimes(hostId: string): Promise<void>;
  applySample(sample: MetricsSampledEvent): void;
}

export const metricsKey = (hostId: string, vmId?: string): string => (vmId === undefined ? hostId : `${hostId}/${vmId}`);

/** Appends a point to columns and drops what is older than `keepMs` before it (and past MAX_HISTORY_POINTS). */
export function appendPoint(history: MetricsHistory, t: number, values: Record<string, number | null>, keepMs: number): MetricsHistory {
  if (history.t.length > 0 && t <= history.t[history.t.length - 1]!) return history;
  let from = 0;
  while (from < history.t.length && (history.t[from]! < t - keepMs || history.t.length - from >= MAX_HISTORY_POINTS)) from++;
  const series: Record<string, (number | null)[]> = {};
  for (const [field, column] of Object.entries(history.series)) series[field] = [...column.slice(from), values[field] ?? null];
  return { intervalMs: history.intervalMs, t: [...history.t.slice(from), t], series };
}

const HOUR = 3_600_000;

export function createMetricsSlice(ctx: SliceContext): MetricsSlice {
  const patch = (changes: Partial<MetricsSlice>) => patchSlice(ctx, 'metrics', changes);
  const state = () => ctx.get().metrics;
  return {
    hosts: {},
    vms: {},
    sparks: {},
    histories: {},
    current: {},
    bootTimes: {},
    async subscribe(hostId) {
      try {
        const { subscriptionId } = await ctx.api.invoke('metrics.subscribe', hostId ? { hostId } : {});
        return subscriptionId;
      } catch {
        return undefined; // the backend is away: the reload after reconnecting subscribes again
      }
    },
    async unsubscribe(subscriptionId) {
      await ctx.api.invoke('metrics.unsubscribe', { subscriptionId }).catch(() => {});
    },
    async loadHistory(hostId, vmId) {
      const history = await ctx.api.invoke('metrics.history', vmId ? { hostId, vmId } : { hostId });
      patch({ histories: { ...state().histories, [metricsKey(hostId, vmId)]: history } });
    },
    dropHistory(hostId, vmId) {
      const { [metricsKey(hostId, vmId)]: _dropped, ...rest } = state().histories;
      patch({ histories: rest });
    },
    async loadCurrent(hostId) {
      const current = await ctx.api.invoke('metrics.current', { hostId });
      patch({ current: { ...state().current, [hostId]: current } });
    },
    async loadBootTimes(hostId) {
      const summary = await ctx.api.invoke('metrics.bootTimes', { hostId });
      patch({ bootTimes: { ...state().bootTimes, [hostId]: summary } });
    },
    applySample(sample) {
      const s = state();
      const vms = { ...s.vms };
      const sparks = { ...s.sparks };
      const histories = { ...s.histories };
      for (const vm of sample.vms) {
        const key = metricsKey(sample.hostId, vm.id);
        vms[key] = vm;
        const spark = sparks[key] ?? { t: [], cpuPct: [], memBytes: [] };
        const cut = Math.max(0, spark.t.length + 1 - SPARK_POINTS);
        sparks[key] = { t: [...spark.t.slice(cut), vm.t], cpuPct: [...spark.cpuPct.slice(cut), vm.cpuPct], memBytes: [...spark.memBytes.slice(cut), vm.memBytes] };
        const history = histories[key];
        if (history) histories[key] = appendPoint(history, vm.t, vm as unknown as Record<string, number | null>, HOUR);
      }
      const hostHistory = histories[sample.hostId];
      if (hostHistory) histories[sample.hostId] = appendPoint(hostHistory, sample.t, sample.host, HOUR);
      patch({ hosts: { ...s.hosts, [sample.hostId]: sample.host }, vms, sparks, histories });
    },
  };
}
