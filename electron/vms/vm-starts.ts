/**
 * Which microVM starts (create, restore, rollback) are in flight, per host. Work that removes what
 * it thinks no VM owns (the network repair on connect) reads a VM list first and acts later; a
 * start that runs in between may not be in that list, so the repair asks here, at the moment it
 * acts, which VMs to spare: every VM whose start was in flight at some moment since it looked.
 */
export interface VmStarts {
  /** Marks the start of `vmId` on `hostId` as in flight; call the returned function when it has ended (either way). */
  begin(hostId: string, vmId: string): () => void;
  /** Opens a watch on a host's starts; close it when done, or it keeps every start it saw. */
  watch(hostId: string): VmStartWatch;
}

export interface VmStartWatch {
  /** VMs whose start was in flight at any moment since the watch opened (ended since or not). */
  ids(): ReadonlySet<string>;
  close(): void;
}

export function createVmStarts(): VmStarts {
  /** hostId → vmId → how many starts of it are in flight (a rollback may overlap a failed create's undo). */
  const inFlight = new Map<string, Map<string, number>>();
  /** hostId → the open watches' sets of ids seen starting. */
  const watches = new Map<string, Set<Set<string>>>();

  return {
    begin(hostId, vmId) {
      let vms = inFlight.get(hostId);
      if (!vms) inFlight.set(hostId, (vms = new Map()));
      vms.set(vmId, (vms.get(vmId) ?? 0) + 1);
      for (const seen of watches.get(hostId) ?? []) seen.add(vmId);
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        const left = (vms.get(vmId) ?? 1) - 1;
        if (left > 0) vms.set(vmId, left);
        else vms.delete(vmId);
        if (vms.size === 0 && inFlight.get(hostId) === vms) inFlight.delete(hostId);
      };
    },
    watch(hostId) {
      // A start in flight when the watch opens may end before the watcher acts, after a VM list
      // that did not show it yet: it counts too.
      const seen = new Set<string>(inFlight.get(hostId)?.keys() ?? []);
      let open = watches.get(hostId);
      if (!open) watches.set(hostId, (open = new Set()));
      open.add(seen);
      return {
        ids: () => new Set(seen),
        close() {
          const hostWatches = watches.get(hostId);
          hostWatches?.delete(seen);
          if (hostWatches?.size === 0) watches.delete(hostId);
        },
      };
    },
  };
}
