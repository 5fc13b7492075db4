import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VmSummary } from '../../../../shared/channels/vms';
import { createFirecrackerClient } from '../../../../electron/firecracker/client';
import { sshUnixConnector } from '../../../../electron/firecracker/transports/ssh-unix';
import { ensureTestUsers, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../../../support/ssh-test-hosts';
import { connectTestHost, failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';
import { installFirecrackerFor, processesOf } from '../../../support/vm-fixtures';

let users: TestUsers;
let host: TestHost;
let forbidding: TestHost;
let images: Awaited<ReturnType<typeof installFirecrackerFor>>;
let t: TestCore;
const runDir = (id: string) => `/home/fdtest-key/.firedeck/vms/${id}`;

beforeAll(async () => {
  users = await ensureTestUsers();
  images = await installFirecrackerFor(users.key.name);
  [host, forbidding] = await Promise.all([startTestHost({ address: '127.0.0.9' }), startTestHost({ address: '127.0.0.10', allowStreamLocalForwarding: false })]);
});
afterAll(async () => {
  await Promise.all([host.stop(), forbidding.stop()]);
  // Whatever a failed test left running; pkill exits 1 when there is nothing to kill.
  try {
    execFileSync('pkill', ['-9', '-u', users.key.name, '-f', 'firedeck/vms/'], { stdio: 'ignore' });
  } catch {
    // nothing left
  }
});
beforeEach(async () => {
  t = await startTestCore({ vmStopTimeoutMs: 3_000 });
});
afterEach(async () => {
  await t.close();
});

const connect = (test: TestHost) => connectTestHost(t, test);

const create = (hostId: string, id: string, extra: Record<string, unknown> = {}) =>
  t.call('vms.create', { hostId, id, vcpus: 1, memoryMib: 128, kernel: images.kernel, rootfs: images.rootfs, ...extra });

async function consoleText(hostId: string, id: string, send: string, expectText: string): Promise<string> {
  let text = '';
  const { sessionId } = await t.call('vms.consoleOpen', { hostId, id });
  const seen = t.nextEvent('vms.consoleOutput', (e) => {
    if (e.sessionId === sessionId) text += e.data;
    return text.includes(expectText);
  });
  await t.call('vms.consoleInput', { sessionId, data: send });
  await seen;
  await t.call('vms.consoleClose', { sessionId });
  return text;
}

describe.each([
  ['ssh-unix', () => host],
  ['ssh-exec (sshd forbids stream-local forwarding)', () => forbidding],
])('microVM lifecycle through %s', (_name, which) => {
  it('create → running → pause → resume → stop → delete, leaving nothing behind', async () => {
    const hostId = await connect(which());
    const id = `life-${which().address.split('.').at(-1)}`;
    const created = await create(hostId, id, { name: 'first sandbox' });
    expect(created).toMatchObject({ id, name: 'first sandbox', state: 'running', vcpus: 1, memoryMib: 128 });

    const output = await consoleText(hostId, id, 'echo hello-from-console\n', 'hello-from-console\r\n');
    expect(output).toContain('hello-from-console');

    expect(await t.call('vms.pause', { hostId, id })).toMatchObject({ state: 'paused' });
    expect(await t.call('vms.resume', { hostId, id })).toMatchObject({ state: 'running' });
    expect((await t.call('vms.list')).find((vm) => vm.id === id)).toMatchObject({ state: 'running' });

    expect(await t.call('vms.stop', { hostId, id })).toMatchObject({ state: 'stopped' });
    expect(processesOf(users.key.name, `${runDir(id)}/api.sock`)).toEqual([]);
    expect(await t.call('vms.delete', { hostId, id })).toEqual({ deleted: true });
    expect(existsSync(runDir(id))).toBe(false);
    expect(processesOf(users.key.name, runDir(id))).toEqual([]); // no Firecracker, no socat
    expect((await t.call('vms.list')).find((vm) => vm.id === id)).toBeUndefined();
  });
});

describe('the truth about microVMs', () => {
  it('reports Firecracker errors verbatim', async () => {
    const hostId = await connect(host);
    await create(hostId, 'verbatim');
    // What the app's client gets back is Firecracker's own fault_message, unchanged.
    const client = createFirecrackerClient({ connector: sshUnixConnector(t.core.hosts.connection(hostId), `${runDir('verbatim')}/api.sock`), name: 'verbatim' });
    const second = await client.action('InstanceStart').then(() => null, (e: unknown) => e as { code: string; message: string });
    const late = await client.putMachineConfig({ vcpu_count: 2, mem_size_mib: 256 }).then(() => null, (e: unknown) => e as { code: string; message: string });
    await client.close();
    expect(second).toMatchObject({ code: 'FIRECRACKER_API_ERROR' });
    expect(late).toMatchObject({ code: 'FIRECRACKER_API_ERROR' });
    expect(late!.message).toMatch(/not supported after starting the microVM/i);
    expect(await failureOf(t.call('vms.restore', { hostId, id: 'verbatim', newId: 'verbatim-2' }))).toMatchObject({ code: 'NOT_FOUND' });
    await t.call('vms.kill', { hostId, id: 'verbatim' });
    await t.call('vms.delete', { hostId, id: 'verbatim' });
  });

  it('shows a VM whose process died as exited, with the end of its console log, also after a restart', async () => {
    const hostId = await connect(host);
    await create(hostId, 'doomed');
    // Let the guest print its boot log first (the emulator writes it just after InstanceStart).
    for (let i = 0; i < 100 && !readFileSync(`${runDir('doomed')}/console.log`, 'utf8').includes('login'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    execFileSync('pkill', ['-9', '-u', users.key.name, '-f', `${runDir('doomed')}/api.sock`]);
    const listed = (await t.call('vms.list')).find((vm) => vm.id === 'doomed') as VmSummary;
    expect(listed.state).toBe('exited');
    expect(listed.lastLog?.join('\n')).toMatch(/login|#/);

    // A new backend (as after an app restart) finds the same truth on the host.
    await t.close();
    t = await startTestCore({ vmStopTimeoutMs: 3_000 });
    const again = await connect(host);
    expect((await t.call('vms.list')).find((vm) => vm.id === 'doomed')).toMatchObject({ hostId: again, state: 'exited' });
    await t.call('vms.delete', { hostId: again, id: 'doomed' });
  });

  it('keeps the last known state while the host is unreachable, and refreshes when it is back', async () => {
    const hostId = await connect(host);
    await create(hostId, 'steady');
    await host.kill(); // sshd and every session die; the VM's own process does not
    const whileDown = await t.call('vms.list');
    expect(whileDown.find((vm) => vm.id === 'steady')).toMatchObject({ state: 'running' });
    const back = t.nextEvent('hosts.changed', (h) => h.id === hostId && h.connection.state === 'connected', 20_000);
    await host.start();
    await back;
    expect((await t.call('vms.list')).find((vm) => vm.id === 'steady')).toMatchObject({ state: 'running' });
    await t.call('vms.kill', { hostId, id: 'steady' });
    await t.call('vms.delete', { hostId, id: 'steady' });
  });

  it('finds a VM that is still running after the backend restarts', async () => {
    const hostId = await connect(host);
    await create(hostId, 'survivor');
    await t.close();
    t = await startTestCore();
    const again = await connect(host);
    expect((await t.call('vms.list')).find((vm) => vm.id === 'survivor')).toMatchObject({ state: 'running', vcpus: 1 });
    await t.call('vms.kill', { hostId: again, id: 'survivor' });
    await t.call('vms.delete', { hostId: again, id: 'survivor' });
  });

  it('refuses an id Firecracker would reject, and a kernel of the wrong architecture, before anything starts', async () => {
    const hostId = await connect(host);
    const bad = await failureOf(create(hostId, 'a;rm -rf ~'));
    expect(bad).toMatchObject({ code: 'INVALID_INPUT', details: { issues: [expect.objectContaining({ path: 'id' })] } });
    const wrong = await failureOf(create(hostId, 'wrong-arch', { kernel: images.wrongKernel }));
    expect(wrong).toMatchObject({ code: 'KERNEL_ARCH_MISMATCH' });
    expect(wrong.message).toMatch(/aarch64.*x86_64/);
    expect(existsSync(runDir('wrong-arch'))).toBe(false);
    const greedy = await failureOf(create(hostId, 'greedy', { memoryMib: 1024 * 1024 }));
    expect(greedy).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a failing boot step names itself and undoes the steps before it', async () => {
    const hostId = await connect(host);
    // The test user has no sudo, so the missing tap device cannot be created.
    const failed = await failureOf(create(hostId, 'no-tap', { network: { tap: 'fdtap-missing', mac: '06:00:ac:10:00:02' } }));
    expect(failed).toMatchObject({ code: 'SUDO_REQUIRED', details: { step: 'fc.putNetworkInterface' } });
    expect(failed.message).toContain('fdtap-missing');
    expect(existsSync(runDir('no-tap'))).toBe(false);
    expect(processesOf(users.key.name, runDir('no-tap'))).toEqual([]);
  });

  it('snapshots a running VM and restores it into a new one', async () => {
    const hostId = await connect(host);
    await create(hostId, 'snap-src');
    const { snapshotDir } = await t.call('vms.snapshot', { hostId, id: 'snap-src' });
    expect(existsSync(`${snapshotDir}/state`)).toBe(true);
    expect((await t.call('vms.list')).find((vm) => vm.id === 'snap-src')).toMatchObject({ state: 'running' });
    const restored = await t.call('vms.restore', { hostId, id: 'snap-src', newId: 'snap-copy' });
    expect(restored).toMatchObject({ id: 'snap-copy', state: 'running' });
    for (const id of ['snap-src', 'snap-copy']) {
      await t.call('vms.kill', { hostId, id });
      await t.call('vms.delete', { hostId, id });
    }
  });
});
