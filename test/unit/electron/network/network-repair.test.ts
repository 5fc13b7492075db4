import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../../../electron/event-bus';
import { startNetworkRepair } from '../../../../electron/network/network-repair';
import type { HostSummary } from '../../../../shared/channels/hosts';
import type { VmSummary } from '../../../../shared/channels/vms';

const host = (state: 'connected' | 'disconnected') => ({ id: 'h1', label: 'build-01', connection: { state } }) as unknown as HostSummary;
const vm = (id: string, extra: Partial<VmSummary> = {}) => ({ hostId: 'h1', id, state: 'running', ...extra }) as VmSummary;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function rig(vms: VmSummary[]) {
  const events = createEventBus();
  const repairs: string[][] = [];
  const warnings: string[] = [];
  const stop = startNetworkRepair({
    events,
    network: { repair: async (_h, live) => (repairs.push([...live]), { removed: ['ghost'] }) },
    listVms: async () => vms,
    log: { warn: (m) => warnings.push(m) },
  });
  return { events, repairs, warnings, stop };
}

describe('network repair on connect', () => {
  it('repairs once per connect, keeping the networks of the VMs the host still has', async () => {
    const r = rig([vm('a'), vm('b'), { ...vm('other'), hostId: 'h2' }]);
    r.events.emit('hosts.changed', host('connected'));
    r.events.emit('hosts.changed', host('connected')); // a probe, not a new connection
    await settle();
    expect(r.repairs).toEqual([['a', 'b']]);
    expect(r.warnings[0]).toContain('ghost');
    r.events.emit('hosts.changed', host('disconnected'));
    r.events.emit('hosts.changed', host('connected'));
    await settle();
    expect(r.repairs).toHaveLength(2);
    r.stop();
  });

  it('leaves a host alone whose listing failed (its VMs are only last seen)', async () => {
    const r = rig([vm('a', { offline: { lastSeenAt: '2026-12-02T00:00:00Z', message: 'did not answer' } })]);
    r.events.emit('hosts.changed', host('connected'));
    await settle();
    expect(r.repairs).toEqual([]);
    r.stop();
  });
});
