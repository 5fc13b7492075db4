import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../../electron/event-bus';
import { startNetworkRepair } from '../../../../electron/network/network-repair';
import type { RepairReport } from '../../../../electron/network/network-service';
import { createVmStarts } from '../../../../electron/vms/vm-starts';
import type { HostSummary } from '../../../../shared/channels/hosts';
import type { VmSummary } from '../../../../shared/channels/vms';

const host = (state: 'connected' | 'disconnected') => ({ id: 'h1', label: 'build-01', connection: { state } }) as unknown as HostSummary;
const vm = (id: string, extra: Partial<VmSummary> = {}) => ({ hostId: 'h1', id, state: 'running', ...extra }) as VmSummary;

function rig(vms: VmSummary[]) {
  const events = createEventBus();
  const repairs: string[][] = [];
  const warnings: string[] = [];
  const repair = startNetworkRepair({
    events,
    starts: createVmStarts(),
    network: { repair: async (_h, live) => (repairs.push([...live]), { removed: ['ghost'] }) },
    listVms: async () => vms,
    log: { warn: (m) => warnings.push(m) },
  });
  return { events, repairs, warnings, stop: repair.stop, settled: repair.settled };
}

describe('network repair on connect', () => {
  it('repairs once per connect, keeping the networks of the VMs the host still has', async () => {
    const r = rig([vm('a'), vm('b'), { ...vm('other'), hostId: 'h2' }]);
    r.events.emit('hosts.changed', host('connected'));
    r.events.emit('hosts.changed', host('connected')); // a probe, not a new connection
    await r.settled('h1');
    expect(r.repairs).toEqual([['a', 'b']]);
    expect(r.warnings[0]).toContain('ghost');
    r.events.emit('hosts.changed', host('disconnected'));
    r.events.emit('hosts.changed', host('connected'));
    await r.settled('h1');
    expect(r.repairs).toHaveLength(2);
    r.stop();
  });

  it('says when a host’s repair has finished, for work that must come after it', async () => {
    const listed = deferred<VmSummary[]>();
    const repairs: string[][] = [];
    const events = createEventBus();
    const repair = startNetworkRepair({
      events,
      starts: createVmStarts(),
      network: { repair: async (_h, live) => (repairs.push([...live]), { removed: [] }) },
      listVms: () => listed.promise,
      log: { warn: () => {} },
    });
    await repair.settled('h1'); // no repair yet: at once
    events.emit('hosts.changed', host('connected'));
    let done = false;
    const settled = repair.settled('h1').then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toBe(false); // still listing
    listed.resolve([vm('a')]);
    await settled;
    expect(repairs).toEqual([['a']]);
    repair.stop();
  });

  it('leaves a host alone whose listing failed (its VMs are only last seen)', async () => {
    const r = rig([vm('a', { offline: { lastSeenAt: '2026-12-02T00:00:00Z', message: 'did not answer' } })]);
    r.events.emit('hosts.changed', host('connected'));
    await r.settled('h1');
    expect(r.repairs).toEqual([]);
    r.stop();
  });
});

/** A promise and the function that settles it. */
function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('network repair against a VM start at the same time', () => {
  it('spares a VM whose start runs between the repair reading the VM list and its turn in the host’s queue', async () => {
    const events = createEventBus();
    const starts = createVmStarts();
    const listed = deferred<VmSummary[]>();
    const turn = deferred();
    const reachedQueue = deferred();
    const done = deferred<RepairReport>();
    const spared: string[][] = [];
    const repair = startNetworkRepair({
      events,
      starts,
      listVms: () => listed.promise,
      network: {
        // The service's queue: the repair acts when its turn comes, and asks then what to spare.
        repair: async (_h, live, spare) => {
          reachedQueue.resolve();
          await turn.promise;
          const keep = new Set([...live, ...(spare?.() ?? [])]);
          spared.push([...(spare?.() ?? [])].sort());
          return { removed: ['new', 'old-ghost'].filter((id) => !keep.has(id)) };
        },
      },
      log: { warn: () => {} },
      onRepaired: (_h, report) => done.resolve(report),
    });
    events.emit('hosts.changed', host('connected'));
    // The list is read while 'new' is being created: its run directory is not there yet.
    const creating = starts.begin('h1', 'new');
    listed.resolve([vm('a')]);
    await reachedQueue.promise;
    // The create brings its network up (ahead of the repair in the queue) and ends.
    creating();
    turn.resolve();
    expect(await done.promise).toEqual({ removed: ['old-ghost'] });
    expect(spared).toEqual([['new']]);
    repair.stop();
  });

  it('sweeps the host’s jails before it repairs, and repairs even when the sweep fails', async () => {
    const events = createEventBus();
    const order: string[] = [];
    const warnings: string[] = [];
    const done = deferred();
    const repair = startNetworkRepair({
      events,
      starts: createVmStarts(),
      listVms: async () => (order.push('list'), [vm('a')]),
      network: { repair: async () => (order.push('repair'), { removed: [] }) },
      sweepJails: async () => {
        order.push('sweep');
        throw new Error('sudo went away');
      },
      log: { warn: (m) => warnings.push(m) },
      onRepaired: () => done.resolve(),
    });
    events.emit('hosts.changed', host('connected'));
    await done.promise;
    expect(order).toEqual(['sweep', 'list', 'repair']);
    expect(warnings).toEqual(['jail sweep on host h1 failed: sudo went away']);
    repair.stop();
  });
});
