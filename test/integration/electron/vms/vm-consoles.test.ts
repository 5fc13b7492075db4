import { execFileSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore } from '../../../support/test-core';
import { until } from '../../../support/dash-stream';
import { ensureKeyUser, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../../../support/test-core';
import { installFirecrackerFor, isConsoleLogWatcher, processesOf } from '../../../support/vm-fixtures';

const user = 'fdvm-console';
let host: TestHost;
let images: Awaited<ReturnType<typeof installFirecrackerFor>>;
let t: TestCore | undefined;

beforeAll(async () => {
  await ensureKeyUser(user);
  images = await installFirecrackerFor(user);
  host = await startTestHost({ address: '127.0.0.102', users: [user] });
});
afterAll(async () => {
  await host.stop();
  try {
    execFileSync('pkill', ['-9', '-u', user, '-f', 'firedeck/vms/'], { stdio: 'ignore' });
  } catch {
    // nothing left
  }
});
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** What the test user runs on the host besides its sshd and its microVMs: console shells, tail, cat. */
const consoleProcesses = () => processesOf(user, '.').filter((line) => !/^\d+ sshd/.test(line) && !line.includes('/bin/firecracker') && !isConsoleLogWatcher(line));

async function bootedVm(core: TestCore, id: string): Promise<string> {
  const hostId = await connectTestHost(core, host, { user });
  await core.call('vms.create', { hostId, id, vcpus: 1, memoryMib: 128, kernel: images.kernel, rootfs: images.rootfs });
  return hostId;
}

/** Collects one console's output from its events. */
function watch(core: TestCore, sessionId: () => string) {
  let text = '';
  const off = core.core.events.subscribe((event, payload) => {
    if (event === 'vms.consoleOutput' && (payload as { sessionId: string }).sessionId === sessionId()) text += (payload as { data: string }).data;
  });
  return { text: () => text, off };
}

describe('microVM consoles', () => {
  it('end on the host when their window goes away: no shell, tail or cat is left', async () => {
    t = await startTestCore();
    const hostId = await bootedVm(t, 'con-owner');
    for (let i = 0; i < 3; i++) await t.call('vms.consoleOpen', { hostId, id: 'con-owner' });
    // One window has one console per VM: each open replaced the one before it.
    await until(() => consoleProcesses().length === 3, 'one console (sh, tail, cat) on the host');
    t.core.releaseOwner(t.caller.ownerId);
    await until(() => consoleProcesses().length === 0, 'no console process left on the host');
    await t.call('vms.kill', { hostId, id: 'con-owner' });
    await t.call('vms.delete', { hostId, id: 'con-owner' });
  });

  it('close after their idle timeout, with the reason', async () => {
    t = await startTestCore({ vmConsoleIdleMs: 1_000 });
    const hostId = await bootedVm(t, 'con-idle');
    const { sessionId } = await t.call('vms.consoleOpen', { hostId, id: 'con-idle' });
    const closed = await t.nextEvent('vms.consoleClosed', (e) => e.sessionId === sessionId);
    expect(closed.reason).toMatch(/without use/);
    await until(() => consoleProcesses().length === 0, 'no console process left on the host');
    await t.call('vms.kill', { hostId, id: 'con-idle' });
    await t.call('vms.delete', { hostId, id: 'con-idle' });
  });

  it.each([
    ['the test backoff (100 ms, at most 500 ms)', { initialMs: 100, maxMs: 500 }],
    ['the default backoff (500 ms, doubling to 30 s)', { initialMs: 500, maxMs: 30_000 }],
  ])('reconnect on their own across an sshd restart, where they left off (%s)', async (_name, reconnect) => {
    t = await startTestCore({ ssh: { readyTimeoutMs: 5_000, reconnect } });
    const core = t;
    const hostId = await bootedVm(core, 'con-back');
    let sessionId = '';
    const output = watch(core, () => sessionId);
    sessionId = (await core.call('vms.consoleOpen', { hostId, id: 'con-back' })).sessionId;
    await until(() => output.text().includes('login'), 'the boot log on the console', 15_000);
    const bootLog = output.text();

    const reconnecting = core.nextEvent('vms.consoleStateChanged', (e) => e.sessionId === sessionId && e.state === 'reconnecting');
    await host.kill(); // sshd and every session die, as in a restart; the VM does not
    expect((await reconnecting).message).toMatch(/reconnecting/);
    const connected = core.nextEvent('vms.consoleStateChanged', (e) => e.sessionId === sessionId && e.state === 'connected', 40_000);
    await host.start();
    const back = Date.now();
    await connected;
    const reconnectMs = Date.now() - back;
    console.log(`console reconnected ${reconnectMs} ms after sshd was back (${_name})`);

    await core.call('vms.consoleInput', { sessionId, data: 'echo after-the-restart\n' });
    await until(() => output.text().includes('after-the-restart\r\n'), 'the guest answering on the reopened console');
    // Reopened where it left off: the boot log is not shown a second time.
    expect(output.text().split(bootLog.slice(0, 40)).length).toBe(2);
    output.off();
    await core.call('vms.consoleClose', { sessionId });
    await until(() => consoleProcesses().length === 0, 'no console process left on the host');
    await core.call('vms.kill', { hostId, id: 'con-back' });
    await core.call('vms.delete', { hostId, id: 'con-back' });
  });
});
