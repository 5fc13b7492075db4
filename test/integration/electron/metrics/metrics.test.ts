import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MetricsSampledEvent } from '../../../../shared/channels/metrics';
import type { AppNotification } from '../../../../shared/channels/notifications';
import type { ExecOptions } from '../../../../electron/ssh/host-connection';
import { ensureKeyUser, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';
import { installFirecrackerFor, removeVmsOf } from '../../../support/vm-fixtures';
import { bootVmWithMetrics } from './boot-with-metrics';

const USER = 'fdmet-int';
const VMS = 10;
let host: TestHost;
let images: Awaited<ReturnType<typeof installFirecrackerFor>>;
let t: TestCore;
const runDir = (id: string) => `/home/${USER}/.firedeck/vms/${id}`;

beforeAll(async () => {
  await ensureKeyUser(USER);
  images = await installFirecrackerFor(USER);
  host = await startTestHost({ address: '127.0.0.150', users: [USER] });
}, 120_000);
afterAll(async () => {
  await host?.stop();
  await removeVmsOf(USER);
});
beforeEach(async () => {
  t = await startTestCore({ metricsIntervalMs: 400 });
});
afterEach(async () => {
  await t.close();
});

/** Counts every script the backend runs on the host, by the host script's file name (or "other"). */
function countScripts(hostId: string) {
  const connection = t.core.hosts.connection(hostId);
  const exec = connection.exec.bind(connection);
  const ran: string[] = [];
  (connection as { exec: typeof connection.exec }).exec = (script: string, options?: ExecOptions) => {
    ran.push(/^# ([a-z0-9-]+)\.sh/m.exec(script)?.[1] ?? 'other');
    return exec(script, options);
  };
  return ran;
}

function nextSamples(hostId: string, count: number, timeoutMs = 30_000): Promise<MetricsSampledEvent[]> {
  const got: MetricsSampledEvent[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${got.length} of ${count} samples within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = t.core.events.subscribe((event, payload) => {
      if (event !== 'metrics.sampled' || (payload as MetricsSampledEvent).hostId !== hostId) return;
      got.push(payload as MetricsSampledEvent);
      if (got.length < count) return;
      clearTimeout(timer);
      stop();
      resolve(got);
    });
  });
}

describe('metrics of microVMs on a real sshd host', () => {
  it('boots with a metrics file and records its boot timing in its config', async () => {
    const hostId = await connectTestHost(t, host, { user: USER });
    await bootVmWithMetrics(t, hostId, 'timed', images);
    expect(existsSync(`${runDir('timed')}/metrics`)).toBe(true);
    // The emulator's guest prints a login prompt soon after InstanceStart; the watcher records it.
    let summary = await t.call('metrics.bootTimes', { hostId });
    for (let i = 0; i < 100 && !summary.vms.some((v) => v.id === 'timed'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      summary = await t.call('metrics.bootTimes', { hostId });
    }
    const timing = summary.vms.find((v) => v.id === 'timed')!;
    expect(timing.createToStartMs).toBeGreaterThan(0);
    expect(timing.startToLoginMs).not.toBeNull();
    expect(summary.last).toEqual(timing);
    expect(JSON.parse(readFileSync(`${runDir('timed')}/config.json`, 'utf8'))).toMatchObject({ id: 'timed', bootTiming: { createToStartMs: timing.createToStartMs, startToLoginMs: timing.startToLoginMs } });
    expect((await t.call('vms.list')).find((vm) => vm.id === 'timed')).toMatchObject({ state: 'running' });
    await t.call('vms.kill', { hostId, id: 'timed' });
    await t.call('vms.delete', { hostId, id: 'timed' });
  });

  it(`samples ${VMS} VMs in one round trip per interval, and nothing once no window watches`, async () => {
    const hostId = await connectTestHost(t, host, { user: USER });
    for (let i = 1; i <= VMS; i++) await bootVmWithMetrics(t, hostId, `m${i}`, images);
    await t.call('vms.list'); // the VMs' sizes reach the metrics through vms.changed, as the app's polling brings them
    const ran = countScripts(hostId);
    const samples = nextSamples(hostId, 4);
    const { subscriptionId } = await t.call('metrics.subscribe', { hostId });
    const got = await samples;
    expect(got.map((s) => s.vms.length)).toEqual(got.map(() => VMS));
    // Every round trip was the sampler's, one per sample (vm polling is off in test cores).
    expect(ran.filter((s) => s !== 'metrics-sample')).toEqual([]);
    expect(ran.length).toBe(t.core.metrics.sampler(hostId)!.samples);
    const last = got.at(-1)!;
    for (const vm of last.vms) {
      expect(vm.memBytes).toBeGreaterThan(1024 * 1024);
      expect(vm.cpuPct).not.toBeNull();
      expect(vm.diskReadBps).toBe(0); // Firecracker's block counters, read after a flush: the emulator's guest does no I/O
    }
    const current = await t.call('metrics.current', { hostId });
    expect(current).toMatchObject({ sampling: true, host: { flush: 'curl', memTotalBytes: expect.any(Number) } });
    expect(current.host!.vmMemBytes).toBeGreaterThan(0);
    expect(current.vms.find((v) => v.id === 'm1')).toMatchObject({ alive: true, vcpus: 1, memoryMib: 128, errors: expect.any(Object) });
    const history = await t.call('metrics.history', { hostId, vmId: 'm1' });
    expect(history.t.length).toBeGreaterThanOrEqual(4);
    expect(history.series.memBytes!.length).toBe(history.t.length);

    // The window goes away: its subscription is released and sampling stops.
    t.core.releaseOwner(t.caller.ownerId);
    expect(t.core.metrics.sampler(hostId)!.running).toBe(false);
    const before = ran.length;
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // five intervals with nobody watching
    expect(ran.length - before).toBeLessThanOrEqual(1); // at most the sample already under way
    expect((await t.call('metrics.current', { hostId })).sampling).toBe(false);
    expect(await t.call('metrics.unsubscribe', { subscriptionId })).toEqual({ unsubscribed: false });
    for (let i = 1; i <= VMS; i++) await t.call('vms.kill', { hostId, id: `m${i}` });
    for (let i = 1; i <= VMS; i++) await t.call('vms.delete', { hostId, id: `m${i}` });
  }, 120_000);

  it('raises a notification with its last console lines when a VM’s process is killed', async () => {
    const hostId = await connectTestHost(t, host, { user: USER });
    await t.call('vms.create', { hostId, id: 'doomed', vcpus: 1, memoryMib: 128, kernel: images.kernel, rootfs: images.rootfs });
    for (let i = 0; i < 100 && !readFileSync(`${runDir('doomed')}/console.log`, 'utf8').includes('login'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const raised = t.nextEvent('notifications.raised', (n: AppNotification) => n.vmId === 'doomed');
    execFileSync('pkill', ['-9', '-u', USER, '-f', `${runDir('doomed')}/api.sock`]);
    await t.call('vms.list'); // discovery sees the dead process (the app polls this on its own)
    const notification = await raised;
    expect(notification).toMatchObject({ kind: 'vm-exited', level: 'error', hostId, view: 'vms' });
    expect(notification.lines!.join('\n')).toMatch(/login/);
    expect((await t.call('notifications.list')).map((n) => n.id)).toContain(notification.id);
    expect(await t.call('notifications.dismiss', { id: notification.id })).toEqual({ dismissed: true });
    expect(await t.call('notifications.list')).toEqual([]);
    await t.call('vms.delete', { hostId, id: 'doomed' });
  });
});
