import { describe, expect, it } from 'vitest';
import type { MetricsHistory, MetricsSampledEvent } from '../../../../../shared/channels/metrics';
import type { AppNotification } from '../../../../../shared/channels/notifications';
import type { FiredeckApi } from '../../../../../renderer/api';
import { MAX_HISTORY_POINTS, SPARK_POINTS, appendPoint } from '../../../../../renderer/store/metrics-slice';
import { toasts } from '../../../../../renderer/store/notifications-slice';
import { createAppStore } from '../../../../../renderer/store/store';

function fakeApi(answers: Record<string, unknown> = {}): FiredeckApi & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  return {
    calls,
    invoke: (async (channel: string, input?: unknown) => {
      calls.push([channel, input]);
      return answers[channel];
    }) as FiredeckApi['invoke'],
    on: () => () => {},
    onStatus: () => () => {},
    status: () => ({ state: 'connected' }),
  };
}

const sample = (t: number, cpu: number): MetricsSampledEvent => ({
  hostId: 'h',
  t,
  host: { t, load1: 1, cpuPct: 10, memUsedBytes: 1, diskUsedBytes: 1, vmCpuPct: 5, vmMemBytes: 1, vmDiskBytes: 1 },
  vms: [{ id: 'vm', t, cpuPct: cpu, memBytes: 2048, diskReadBps: 0, diskWriteBps: 0, netRxBps: 0, netTxBps: 0, errorCount: 0 }],
});

describe('metrics slice', () => {
  it('keeps sparklines to their length and feeds the histories a panel loaded', async () => {
    const store = createAppStore(fakeApi({ 'metrics.history': { intervalMs: 3000, t: [], series: { cpuPct: [], memBytes: [] } } }));
    await store.getState().metrics.loadHistory('h', 'vm');
    for (let i = 1; i <= 100; i++) store.getState().metrics.applySample(sample(i * 1000, i));
    const state = store.getState().metrics;
    expect(state.sparks['h/vm']!.cpuPct).toHaveLength(SPARK_POINTS);
    expect(state.sparks['h/vm']!.cpuPct.at(-1)).toBe(100);
    expect(state.histories['h/vm']!.t).toHaveLength(100);
    expect(state.histories['h/vm']!.series.cpuPct!.at(-1)).toBe(100);
    expect(state.histories.h).toBeUndefined(); // nobody asked for the host's
    store.getState().metrics.dropHistory('h', 'vm');
    store.getState().metrics.applySample(sample(200_000, 1));
    expect(store.getState().metrics.histories['h/vm']).toBeUndefined();
  });

  it('appends points within the time kept and the point cap, ignoring a repeat', () => {
    let history: MetricsHistory = { intervalMs: 1, t: [], series: { v: [] } };
    for (let i = 1; i <= MAX_HISTORY_POINTS + 50; i++) history = appendPoint(history, i, { v: i }, 1e9);
    expect(history.t).toHaveLength(MAX_HISTORY_POINTS);
    expect(appendPoint(history, 5, { v: 0 }, 1e9)).toBe(history);
    const windowed = appendPoint({ intervalMs: 1, t: [1, 2, 3], series: { v: [1, 2, 3] } }, 10, { v: 10 }, 8);
    expect(windowed).toEqual({ intervalMs: 1, t: [2, 3, 10], series: { v: [2, 3, 10] } });
  });

  it('subscribes and unsubscribes through the API', async () => {
    const api = fakeApi({ 'metrics.subscribe': { subscriptionId: 'sub-1', intervalMs: 3000 } });
    const store = createAppStore(api);
    expect(await store.getState().metrics.subscribe('h')).toBe('sub-1');
    await store.getState().metrics.unsubscribe('sub-1');
    expect(api.calls).toEqual([
      ['metrics.subscribe', { hostId: 'h' }],
      ['metrics.unsubscribe', { subscriptionId: 'sub-1' }],
    ]);
  });
});

describe('notifications slice', () => {
  const n = (id: string, at: string): AppNotification => ({ id, kind: 'task-finished', level: 'info', title: id, body: '', at });

  it('shows the newest few as toasts, and forgets a dismissed one in every window', async () => {
    const api = fakeApi();
    const store = createAppStore(api);
    for (let i = 1; i <= 6; i++) store.getState().notifications.applyRaised(n(`n${i}`, `2026-01-01T00:00:0${i}Z`));
    expect(toasts(store.getState().notifications.items).map((x) => x.id)).toEqual(['n6', 'n5', 'n4', 'n3']);
    store.getState().notifications.applyDismissed('n6');
    await store.getState().notifications.dismiss('n5');
    expect(store.getState().notifications.items.map((x) => x.id)).toEqual(['n1', 'n2', 'n3', 'n4']);
    expect(api.calls).toEqual([['notifications.dismiss', { id: 'n5' }]]);
  });
});
