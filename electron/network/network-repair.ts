import type { HostSummary } from '../../shared/channels/hosts.js';
import type { VmSummary } from '../../shared/channels/vms.js';
import type { EventBus } from '../event-bus.js';
import type { VmStarts } from '../vms/vm-starts.js';
import type { NetworkService, RepairReport } from './network-service.js';

export interface NetworkRepair {
  /** When the host's latest connect-time repair has finished (at once when none is running). */
  settled(hostId: string): Promise<void>;
  stop(): void;
}

/**
 * Each time a host becomes connected (at start, after a reconnect: an app crash or a host reboot
 * may lie between), the networks of VMs that no longer exist there are removed. What exists is
 * what the VM list found on the host; a host whose listing failed is left alone, so a network is
 * never removed on a guess. Runs in the background; a failure is logged, not shown (the host page
 * lists the networks and their state).
 *
 * First, when given `sweepJails`, the host's jails whose run directory is gone are removed: a jail
 * holds the namespace and tap its VM used, and its VM is no longer in the list the repair reads.
 */
export function startNetworkRepair(deps: {
  events: EventBus;
  network: Pick<NetworkService, 'repair'>;
  /**
   * Starts in flight: a VM that starts while the repair lists and waits for its turn in the host's
   * network queue is spared, although the list it read did not have it.
   */
  starts: Pick<VmStarts, 'watch'>;
  /** The VM list, refreshed from the connected hosts. */
  listVms: () => Promise<VmSummary[]>;
  log: { warn(message: string): void };
  onRepaired?: (hostId: string, report: RepairReport) => void;
  /** Removes the host's jails whose microVM's run directory is gone (a no-op without the helper). */
  sweepJails?: (hostId: string) => Promise<{ swept: string[]; failed: string[] }>;
}): NetworkRepair {
  const wasConnected = new Set<string>();
  const running = new Map<string, Promise<void>>();
  const repair = async (hostId: string) => {
    if (deps.sweepJails) {
      // A sweep that fails must not keep the networks from being repaired.
      const sweep = await deps.sweepJails(hostId).catch((error: unknown) => {
        deps.log.warn(`jail sweep on host ${hostId} failed: ${(error as Error).message}`);
        return { swept: [], failed: [] };
      });
      if (sweep.swept.length > 0) deps.log.warn(`jail sweep on host ${hostId}: removed the jails of ${sweep.swept.join(', ')} (their run directories were gone)`);
      if (sweep.failed.length > 0) deps.log.warn(`jail sweep on host ${hostId}: could not remove the jails of ${sweep.failed.join(', ')}`);
    }
    // Opened before the list is read: whatever starts from here on is spared.
    const starting = deps.starts.watch(hostId);
    try {
      const vms = (await deps.listVms()).filter((vm) => vm.hostId === hostId);
      if (vms.some((vm) => vm.offline)) return;
      const report = await deps.network.repair(hostId, vms.map((vm) => vm.id), () => starting.ids());
      if (report.removed.length > 0) deps.log.warn(`network repair on host ${hostId}: removed the networks of ${report.removed.join(', ')} (their microVMs no longer exist)`);
      deps.onRepaired?.(hostId, report);
    } finally {
      starting.close();
    }
  };
  const stop = deps.events.subscribe((event, payload) => {
    if (event === 'hosts.removed') wasConnected.delete((payload as { id: string }).id);
    if (event !== 'hosts.changed') return;
    const host = payload as HostSummary;
    const connected = host.connection.state === 'connected';
    if (connected && !wasConnected.has(host.id)) {
      const done: Promise<void> = repair(host.id)
        .catch((error: unknown) => deps.log.warn(`network repair on host ${host.id} failed: ${(error as Error).message}`))
        .finally(() => {
          if (running.get(host.id) === done) running.delete(host.id);
        });
      running.set(host.id, done);
    }
    if (connected) wasConnected.add(host.id);
    else wasConnected.delete(host.id);
  });
  return {
    settled: (hostId) => running.get(hostId) ?? Promise.resolve(),
    stop,
  };
}
