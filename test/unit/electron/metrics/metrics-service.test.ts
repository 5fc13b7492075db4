import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostSummary } from '../../../../shared/channels/hosts';
import type { MetricsSampledEvent } from '../../../../shared/channels/metrics';
import { createResourceRegistry } from '../../../../electron/app/resources';
import { createEventBus } from '../../../../electron/event-bus';
import type { HostContext } from '../../../../electron/hosts/host-service';
import { createMetricsService } from '../../../../electron/metrics/metrics-service';
import type { MetricsService } from '../../../../electron/metrics/metrics-service';
import { startFakeVm } from '../../../support/metrics/fake-vm-dirs';
import type { FakeVm } from '../../../support/metrics/fake-vm-dirs';
import { localConnection } from '../../../support/metrics/local-connection';
import { makeTempDir } from '../../../support/temp-dir';

const HOST = '00000000-0000-4000-8000-000000000001';
let root: { path: string; cleanup(): Promise<void> };
let vms: FakeVm[];
let service: MetricsService;
let connection: ReturnType<typeof localConnection>;
const events = createEventBus();
const resources = createResourceRegistry();
let hostState: HostSummary['connection'] = { state: 'connected', since: '' };

beforeEach(async () => {
  root = await makeTempDir('firedeck-metrics-service-');
  vms = await Promise.all(['one', 'two', 'three'].map((id) => startFakeVm(`${root.path}/.firedeck`, id)));
  connection = localConnection();
  hostState = { state: 'connected', since: '' };
  service = createMetricsService({
    hosts: {
      list: () => [{ id: HOST, label: 'local', connection: hostState } as HostSummary],
      context: async () => ({ connection, probe: { firedeckDir: `${root.path}/.firedeck`, cpus: 2 } }) as unknown as HostContext,
    },
    events,
    resources,
    intervalMs: 50,
    historyMs: 500,
    trimEveryMs: 0,
  });
});
afterEach(async () => {
  service.close();
  await Promise.all(vms.map((vm) => vm.stop()));
  await root.cleanup();
});

function samples(count: number, timeoutMs = 10_000): Promise<MetricsSampledEvent[]> {
  const got: MetricsSampledEvent[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`only ${got.length} of ${count} samples within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = events.subscribe((event, payload) => {
      if (event !== 'metrics.sampled') return;
      got.push(payload as MetricsSampledEvent);
      if (got.length < count) return;
      clearTimeout(timer);
      stop();
      resolve(got);
    });
  });
}

describe('metrics service', () => {
  it('samples nothing without a subscriber, and all VMs in one script run per interval with one', async () => {
    expect(service.sampler(HOST)).toBeUndefined();
    expect(connection.scripts).toHaveLength(0);
    const got = samples(4);
    service.subscribe(HOST, { ownerId: 'window-1' });
    const list = await got;
    expect(list.every((s) => s.vms.length === 3)).toBe(true);
    expect(connection.scripts.length).toBeGreaterThanOrEqual(4);
    expect(connection.scripts.every((s) => s.includes('metrics-sample.sh'))).toBe(true);
    // One flush per VM per sample: what the host was asked matches what the app received.
    expect(vms[0]!.flushes).toBe(connection.scripts.length);
    const last = list.at(-1)!;
    expect(last.vms[0]).toMatchObject({ memBytes: expect.any(Number), diskReadBps: 0, netRxBps: 0 });
    expect(last.host.memUsedBytes).toBeGreaterThan(0);
    expect(service.current(HOST)).toMatchObject({ sampling: true, host: { cpus: 2, flush: 'curl' }, vms: expect.arrayContaining([expect.objectContaining({ id: 'one', alive: true })]) });
  });

  it('stops when the last window holding a subscription goes away, and when the host disconnects', async () => {
    const first = samples(2);
    service.subscribe(HOST, { ownerId: 'window-1' });
    const { subscriptionId } = service.subscribe(undefined, { ownerId: 'window-2' });
    await first;
    resources.releaseOwner('window-1');
    expect(service.sampler(HOST)!.running).toBe(true); // window 2 still watches all hosts
    expect(service.unsubscribe(subscriptionId, { ownerId: 'window-1' })).toBe(false); // not its subscription
    expect(service.unsubscribe(subscriptionId, { ownerId: 'window-2' })).toBe(true);
    expect(service.sampler(HOST)!.running).toBe(false);
    const ran = connection.scripts.length;
    await new Promise((resolve) => setTimeout(resolve, 300)); // six intervals: a stopped sampler takes none
    expect(connection.scripts.length - ran).toBeLessThanOrEqual(1); // at most the one already under way
    expect(service.current(HOST).sampling).toBe(false);

    service.subscribe(HOST, { ownerId: 'window-3' });
    expect(service.sampler(HOST)!.running).toBe(true);
    hostState = { state: 'reconnecting', attempt: 1, retryAt: '', error: { code: 'SSH_CONNECTION_LOST', message: 'gone' } };
    events.emit('hosts.changed', { id: HOST, label: 'local', connection: hostState } as HostSummary);
    expect(service.sampler(HOST)!.running).toBe(false);
  });

  it('a window going from one view to another (one subscription dropped, the next made) costs no sample its rates', async () => {
    let held = service.subscribe(undefined, { ownerId: 'w' });
    await samples(3);
    const got: MetricsSampledEvent[] = [];
    const off = events.subscribe((event, payload) => {
      if (event === 'metrics.sampled') got.push(payload as MetricsSampledEvent);
    });
    for (let i = 0; i < 4; i++) {
      service.unsubscribe(held.subscriptionId, { ownerId: 'w' });
      held = service.subscribe(HOST, { ownerId: 'w' });
      await samples(1);
    }
    off();
    // Every sample after the first three read the files on from where the one before stopped.
    expect(got.length).toBeGreaterThanOrEqual(4);
    expect(got.flatMap((s) => s.vms.map((vm) => vm.diskReadBps))).not.toContain(null);
  });

  it('keeps a bounded history per VM, and figures for disk and network from the flushed lines', async () => {
    service.subscribe(HOST, { ownerId: 'w' });
    await samples(2);
    vms[1]!.next = { block: { read_bytes: 1_000_000, write_bytes: 0 }, net: { rx_bytes_count: 0, tx_bytes_count: 0 } };
    // The next flush writes the line; one that missed its deadline on a loaded machine is read a sample later.
    const rates: (number | null)[] = [];
    for (let i = 0; i < 3 && !(rates.at(-1)! > 0); i++) rates.push((await samples(1))[0]!.vms.find((v) => v.id === 'two')!.diskReadBps);
    expect(rates.at(-1)).toBeGreaterThan(0);
    expect(rates).not.toContain(null);
    await samples(15);
    const history = service.history(HOST, 'two');
    expect(history.t.length).toBe(10); // 500 ms of history at 50 ms
    expect(history.series.cpuPct).toHaveLength(10);
    expect(service.history(HOST).t.length).toBe(10);
  });

  it('emits nothing from a sample that was under way when the service closed', async () => {
    let asked!: () => void;
    const contextAsked = new Promise<void>((resolve) => (asked = resolve));
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const gated = createMetricsService({
      hosts: {
        list: () => [{ id: HOST, label: 'local', connection: hostState } as HostSummary],
        context: async () => {
          asked();
          await answered;
          return { connection, probe: { firedeckDir: `${root.path}/.firedeck`, cpus: 2 } } as unknown as HostContext;
        },
      },
      events,
      resources,
      intervalMs: 50,
      trimEveryMs: 0,
    });
    const emitted: unknown[] = [];
    const off = events.subscribe((event, payload) => {
      if (event === 'metrics.sampled') emitted.push(payload);
    });
    gated.subscribe(HOST, { ownerId: 'gated' });
    await contextAsked;
    const underWay = gated.sampler(HOST)!.sampleOnce(); // the sample already running, not a new one
    gated.close();
    answer();
    await underWay;
    off();
    expect(connection.scripts).toHaveLength(1); // the sample did run to its end
    expect(emitted).toEqual([]);
  });
});
