import type { BootTimesSummary, MetricsCurrent, MetricsHistory } from '../../shared/channels/metrics.js';
import type { ResourceHandle, ResourceRegistry } from '../app/resources.js';
import { AppError } from '../app-error.js';
import type { EventBus } from '../event-bus.js';
import type { HostService } from '../hosts/host-service.js';
import type { Caller } from '../router.js';
import { runHostScript } from '../ssh/host-script.js';
import { summariseBootTimes } from './boot-times.js';
import { createHostSampler } from './host-sampler.js';
import type { HostSampler } from './host-sampler.js';
import { metricsBootTimes, metricsTrim } from './metrics-scripts.js';

export interface MetricsService {
  /** Samples `hostId` (every connected host when absent) while the caller's subscription lasts. */
  subscribe(hostId: string | undefined, caller: Caller): { subscriptionId: string; intervalMs: number };
  unsubscribe(subscriptionId: string, caller: Caller): boolean;
  history(hostId: string, vmId?: string, sinceT?: number): MetricsHistory;
  current(hostId: string): MetricsCurrent;
  bootTimes(hostId: string): Promise<BootTimesSummary>;
  /** The sampler of a host, if one was made (integration tests and benches count its samples). */
  sampler(hostId: string): HostSampler | undefined;
  close(): void;
}

export interface MetricsServiceDeps {
  hosts: Pick<HostService, 'list' | 'context'>;
  events: EventBus;
  resources: ResourceRegistry;
  /** Time between samples (default 3 s). */
  intervalMs?: number;
  /** How far back histories reach (default one hour). */
  historyMs?: number;
  /** While nobody watches, how often connected hosts' metrics files are trimmed (default 10 min; 0: never). */
  trimEveryMs?: number;
  log?: Pick<Console, 'warn'>;
}

const TRIM_LIMIT_BYTES = 1024 * 1024;

/**
 * Live metrics of hosts and their microVMs. A host is sampled only while some window holds a
 * subscription for it (or for all hosts) and it is connected; subscriptions are resources of the
 * window that made them, so a window's going away ends its share. Histories live in fixed-size
 * rings, one per host and per VM.
 */
export function createMetricsService(deps: MetricsServiceDeps): MetricsService {
  const intervalMs = deps.intervalMs ?? 3_000;
  const historyPoints = Math.max(2, Math.ceil((deps.historyMs ?? 3_600_000) / intervalMs));
  const samplers = new Map<string, HostSampler>();
  /** subscription id → the host it wants, or '*' for all. */
  const subscriptions = new Map<string, string>();
  const handles = new Map<string, ResourceHandle>();
  /** What `vms.changed` said of each VM (vCPUs, memory), for the charts' scales. */
  const vmMeta = new Map<string, { vcpus: number; memoryMib: number }>();
  const warned = new Set<string>();
  // A sample under way when the service closes still completes; what it found is no one's now.
  let closed = false;

  const connected = (hostId: string) => deps.hosts.list().some((h) => h.id === hostId && h.connection.state === 'connected');
  const wanted = (hostId: string) => [...subscriptions.values()].some((h) => h === '*' || h === hostId);

  function samplerFor(hostId: string): HostSampler {
    let sampler = samplers.get(hostId);
    if (sampler) return sampler;
    sampler = createHostSampler({
      hostId,
      intervalMs,
      historyPoints,
      host: async () => {
        const ctx = await deps.hosts.context(hostId);
        return { connection: ctx.connection, firedeckDir: ctx.probe.firedeckDir, cpus: ctx.probe.cpus };
      },
      emit: (event) => {
        if (!closed) deps.events.emit('metrics.sampled', event);
      },
      onError: (error) => {
        // Said once per host and kind of failure: a host that keeps failing must not fill the log.
        const code = error instanceof AppError ? error.code : 'INTERNAL';
        if (warned.has(`${hostId}:${code}`)) return;
        warned.add(`${hostId}:${code}`);
        deps.log?.warn(`metrics sampling of host ${hostId} failed (${code}): ${error instanceof Error ? error.message : String(error)}`);
      },
    });
    samplers.set(hostId, sampler);
    return sampler;
  }

  function reconcile() {
    for (const host of deps.hosts.list()) {
      const on = wanted(host.id) && host.connection.state === 'connected';
      if (on) samplerFor(host.id).start();
      else samplers.get(host.id)?.stop();
    }
  }

  const unsubscribeBus = deps.events.subscribe((event, payload) => {
    if (event === 'hosts.changed') reconcile();
    if (event === 'hosts.removed') {
      const { id } = payload as { id: string };
      samplers.get(id)?.stop();
      samplers.delete(id);
    }
    if (event === 'vms.changed') {
      const vm = payload as { hostId: string; id: string; vcpus: number; memoryMib: number };
      vmMeta.set(`${vm.hostId}/${vm.id}`, { vcpus: vm.vcpus, memoryMib: vm.memoryMib });
    }
    if (event === 'vms.removed') {
      const vm = payload as { hostId: string; id: string };
      vmMeta.delete(`${vm.hostId}/${vm.id}`);
      samplers.get(vm.hostId)?.forgetVm(vm.id);
    }
  });

  const trimEveryMs = deps.trimEveryMs ?? 600_000;
  const trimTimer =
    trimEveryMs > 0
      ? setInterval(() => {
          for (const host of deps.hosts.list()) {
            if (host.connection.state !== 'connected' || wanted(host.id) || !host.probe) continue;
            void deps.hosts
              .context(host.id)
              .then((ctx) => runHostScript(ctx.connection, metricsTrim, [ctx.probe.firedeckDir, TRIM_LIMIT_BYTES], { timeoutMs: 30_000 }))
              .catch(() => {});
          }
        }, trimEveryMs)
      : undefined;
  trimTimer?.unref();

  return {
    subscribe(hostId, caller) {
      const key = hostId ?? '*';
      const handle = deps.resources.add(caller.ownerId, 'metrics-subscription', {
        close: () => {
          subscriptions.delete(handle.id);
          handles.delete(handle.id);
          reconcile();
        },
      });
      subscriptions.set(handle.id, key);
      handles.set(handle.id, handle);
      reconcile();
      return { subscriptionId: handle.id, intervalMs };
    },
    unsubscribe(subscriptionId, caller) {
      // Only the window that subscribed may end its subscription.
      if (!deps.resources.get(subscriptionId, caller.ownerId)) return false;
      handles.get(subscriptionId)?.release('unsubscribed');
      return true;
    },
    history(hostId, vmId, sinceT) {
      const sampler = samplers.get(hostId);
      if (sampler) return sampler.history(vmId, sinceT);
      return { intervalMs, t: [], series: {} };
    },
    current(hostId) {
      const sampler = samplers.get(hostId);
      const now = sampler?.current((vmId) => vmMeta.get(`${hostId}/${vmId}`));
      return { hostId, sampling: Boolean(sampler?.running) && connected(hostId), intervalMs, host: now?.host ?? null, vms: now?.vms ?? [] };
    },
    async bootTimes(hostId) {
      const ctx = await deps.hosts.context(hostId);
      const result = await runHostScript(ctx.connection, metricsBootTimes, [ctx.probe.firedeckDir], { timeoutMs: 30_000 });
      return summariseBootTimes(hostId, result.output);
    },
    sampler: (hostId) => samplers.get(hostId),
    close() {
      closed = true;
      unsubscribeBus();
      if (trimTimer) clearInterval(trimTimer);
      for (const sampler of samplers.values()) sampler.stop();
    },
  };
}
