import { describe, expect, it } from 'vitest';
import type { VmSummary } from '../../../../shared/channels/vms';
import type { SetupReport } from '../../../../shared/channels/wizard';
import { createAppStore } from '../../../../renderer/store/store';
import { selectVmList, uptime, vmKey } from '../../../../renderer/store/vms-slice';
import { isReady } from '../../../../renderer/store/wizard-slice';
import { createFakeApi } from '../../../support/fake-api';

const vm = (id: string, extra: Partial<VmSummary> = {}): VmSummary => ({ hostId: 'h1', id, state: 'running', vcpus: 1, memoryMib: 128, kernel: 'k', rootfs: 'r', ...extra });

describe('vm selectors', () => {
  it('filter by host, state and text, newest first', () => {
    const store = createAppStore(createFakeApi({}).api);
    for (const v of [vm('alpha', { startedAt: '2026-01-01T00:00:00Z' }), vm('beta', { startedAt: '2026-02-01T00:00:00Z', name: 'Build box' }), vm('gamma', { hostId: 'h2', state: 'exited' })]) {
      store.getState().vms.applyChanged(v);
    }
    const ids = (filter: Parameters<typeof selectVmList>[1]) => selectVmList(store.getState(), filter).map((v) => v.id);
    expect(ids({})).toEqual(['beta', 'alpha', 'gamma']);
    expect(ids({ hostId: 'h2' })).toEqual(['gamma']);
    expect(ids({ state: 'running' })).toEqual(['beta', 'alpha']);
    expect(ids({ text: 'build' })).toEqual(['beta']);
    store.getState().vms.applyRemoved('h1', 'beta');
    expect(ids({})).toEqual(['alpha', 'gamma']);
    expect(vmKey({ hostId: 'h1', id: 'x' })).toBe('h1/x');
  });

  it('uptime reads like a person would say it', () => {
    const now = Date.parse('2026-01-03T05:00:00Z');
    expect(uptime(undefined, now)).toBe('—');
    expect(uptime('2026-01-03T04:59:30Z', now)).toBe('30 s');
    expect(uptime('2026-01-03T04:15:00Z', now)).toBe('45 min');
    expect(uptime('2026-01-03T01:50:00Z', now)).toBe('3 h 10 min');
    expect(uptime('2026-01-01T00:00:00Z', now)).toBe('2 d');
  });
});

describe('wizard selectors', () => {
  const report = (statuses: string[], running = false): SetupReport => ({
    hostId: 'h1',
    running,
    steps: statuses.map((status, i) => ({ name: 'host.connect', title: `step ${i}`, status: status as never, commands: [] })),
  });
  it('ready means every step done or already done, and nothing running', () => {
    expect(isReady(report(['done', 'skipped', 'done']))).toBe(true);
    expect(isReady(report(['done', 'skipped', 'done'], true))).toBe(false);
    expect(isReady(report(['done', 'failed']))).toBe(false);
    expect(isReady(report([]))).toBe(false);
  });
});
