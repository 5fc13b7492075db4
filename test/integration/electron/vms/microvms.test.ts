import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VmSummary } from '../../../../shared/channels/vms';
import { createFirecrackerClient } from '../../../../electron/firecracker/client';
import { sshUnixConnector } from '../../../../electron/firecracker/transports/ssh-unix';
import { ensureKeyUser, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, consoleText, failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';
import { until } from '../../../support/dash-stream';
import { installFirecrackerFor, processesOf } from '../../../support/vm-fixtures';

// A test user of this suite's own: removeVmsOf (in installFirecrackerFor) kills its processes.
const user = 'fdvm-life';
let host: TestHost;
let forbidding: TestHost;
let closed: TestHost;
let images: Awaited<ReturnType<typeof installFirecrackerFor>>;
let t: TestCore;
const runDir = (id: string) => `/home/${user}/.firedeck/vms/${id}`;

beforeAll(async () => {
  await ensureKeyUser(user);
  images = await installFirecrackerFor(user);
  [host, forbidding, closed] = await Promise.all([
    startTestHost({ address: '127.0.0.9', users: [user] }),
    startTestHost({ address: '127.0.0.10', users: [user], allowStreamLocalForwarding: false }),
    startTestHost({ address: '127.0.0.100', users: [user], allowStreamLocalForwarding: false, allowTcpForwarding: false }),
  ]);
});
afterAll(async () => {
  await Promise.all([host.stop(), forbidding.stop(), closed.stop()]);
  // Whatever a failed test left running; pkill exits 1 when there is nothing to kill.
  try {
    execFileSync('pkill', ['-9', '-u', user, '-f', 'firedeck/vms/'], { stdio: 'ignore' });
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

const connect = (test: TestHost) => connectTestHost(t, test, { user });

const create = (hostId: string, id: string, extra: Record<string, unknown> = {}) =>
  t.call('vms.create', { hostId, id, vcpus: 1, memoryMib: 128, kernel: images.kernel, rootfs: images.rootfs, ...extra });


describe.each([
  ['ssh-unix', () => host, 'ssh-unix'],
  ['ssh-exec (sshd forbids stream-local forwarding)', () => forbidding, 'ssh-exec'],
  ['ssh-exec (sshd forbids all forwarding)', () => closed, 'ssh-exec'],
])('microVM lifecycle through %s', (_name, which, transport) => {
  it('create → running → pause → resume → stop → delete, leaving nothing behind and no port open', async () => {
    const hostId = await connect(which());
    const id = `life-${which().address.split('.').at(-1)}`;
    const created = await create(hostId, id, { name: 'first sandbox' });
    expect(created).toMatchObject({ id, name: 'first sandbox', state: 'running', vcpus: 1, memoryMib: 128 });

    const output = await consoleText(t, hostId, id, 'echo hello-from-console\n', 'hello-from-console\r\n');
    expect(output).toContain('hello-from-console');
    // The transport really in use is on the host's summary, and nothing listens for the API.
    expect((await t.call('hosts.list')).find((h) => h.id === hostId)?.apiTransport).toMatchObject({ inUse: transport });
    expect(processesOf(user, 'LISTEN')).toEqual([]);
    console.log(`channels of ${_name} after boot, console, transport check:`, JSON.stringify(t.core.hosts.connection(hostId).usage()));

    expect(await t.call('vms.pause', { hostId, id })).toMatchObject({ state: 'paused' });
    expect(await t.call('vms.resume', { hostId, id })).toMatchObject({ state: 'running' });
    expect((await t.call('vms.list')).find((vm) => vm.id === id)).toMatchObject({ state: 'running' });

    expect(await t.call('vms.stop', { hostId, id })).toMatchObject({ state: 'stopped' });
    expect(processesOf(user, `${runDir(id)}/api.sock`)).toEqual([]);
    expect(await t.call('vms.delete', { hostId, id })).toEqual({ deleted: true });
    expect(existsSync(runDir(id))).toBe(false);
    expect(processesOf(user, runDir(id))).toEqual([]); // no Firecracker, no socat
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
    execFileSync('pkill', ['-9', '-u', user, '-f', `${runDir('doomed')}/api.sock`]);
    // SIGKILL is delivered at once, but the process leaves /proc a moment later (longer under load).
    await until(() => processesOf(user, runDir('doomed')).length === 0, 'the killed Firecracker gone');
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

  it('marks the VMs of an unreachable host as last seen, with why, and refreshes them when it is back', async () => {
    const hostId = await connect(host);
    await create(hostId, 'steady');
    const seen = Date.now();
    const offline = t.nextEvent('vms.changed', (vm) => vm.id === 'steady' && vm.offline !== undefined);
    await host.kill(); // sshd and every session die; the VM's own process does not
    expect(await offline).toMatchObject({ state: 'running', offline: { message: expect.stringContaining('cannot be reached') } });
    const whileDown = (await t.call('vms.list')).find((vm) => vm.id === 'steady')!;
    expect(whileDown).toMatchObject({ state: 'running', offline: { remedy: expect.stringContaining('reconnects') } });
    expect(Math.abs(Date.parse(whileDown.offline!.lastSeenAt) - seen)).toBeLessThan(60_000);
    expect(await failureOf(t.call('vms.pause', { hostId, id: 'steady' }))).toMatchObject({ code: 'HOST_NOT_CONNECTED' });
    const fresh = t.nextEvent('vms.changed', (vm) => vm.id === 'steady' && vm.offline === undefined, 20_000);
    await host.start();
    expect(await fresh).toMatchObject({ state: 'running' });
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
    // An image that is not there fails the disk copy, after the run directory was made.
    const failed = await failureOf(create(hostId, 'no-drive', { rootfs: '/nonexistent/rootfs.ext4' }));
    expect(failed).toMatchObject({ details: { step: 'host.createDisk' } });
    expect(failed.message).toContain('/nonexistent/rootfs.ext4');
    expect(existsSync(runDir('no-drive'))).toBe(false);
    expect(processesOf(user, runDir('no-drive'))).toEqual([]);
  });

  it('a name or metadata with a backslash cannot forge entries in the list', async () => {
    const hostId = await connect(host);
    const name = 'x\\n@vm ghost-vm\\nalive yes';
    await create(hostId, 'plain-1', { name, mmds: { note: 'y\\n@vm ghost-2' } });
    const listed = (await t.call('vms.list')).filter((vm) => vm.hostId === hostId);
    expect(listed.map((vm) => vm.id)).toEqual(['plain-1']);
    expect(listed[0]).toMatchObject({ name, state: 'running' });
    await t.call('vms.kill', { hostId, id: 'plain-1' });
    await t.call('vms.delete', { hostId, id: 'plain-1' });
  });

  it('boots its own copy of the image: the image is never written, the disk goes with the VM', async () => {
    const hostId = await connect(host);
    const before = readFileSync(images.rootfs);
    const created = await create(hostId, 'own-disk');
    expect(created).toMatchObject({ diskBytes: before.length, image: { name: 'rootfs-ubuntu-22.04.ext4', path: images.rootfs } });
    expect(created.image?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const config = await t.call('vms.getConfig', { hostId, id: 'own-disk' });
    expect((config as { drives: { path_on_host: string }[] }).drives[0]?.path_on_host).toBe('rootfs.ext4');
    expect(existsSync(`${runDir('own-disk')}/rootfs.ext4`)).toBe(true);
    expect(readFileSync(images.rootfs).equals(before)).toBe(true);
    await t.call('vms.kill', { hostId, id: 'own-disk' });
    await t.call('vms.delete', { hostId, id: 'own-disk' });
    expect(existsSync(runDir('own-disk'))).toBe(false);
  });

  it('snapshots a running VM by name, restores it into a new one with its own disk, rolls it back, deletes the snapshot', async () => {
    const hostId = await connect(host);
    await create(hostId, 'snap-src');
    const configOf = (id: string) => JSON.parse(readFileSync(`${runDir(id)}/config.json`, 'utf8')) as { bootTiming?: Record<string, unknown> };
    // The source's boot record (written once its login prompt came) is in the config a restore reads.
    await until(() => configOf('snap-src').bootTiming !== undefined, 'the source’s boot timing recorded', 30_000);
    const { snapshotDir, snapshot } = await t.call('vms.snapshot', { hostId, id: 'snap-src', name: 'first' });
    expect(snapshot).toMatchObject({ name: 'first', hasDisk: true });
    expect(snapshot.sizeBytes).toBeGreaterThan(0);
    expect(existsSync(`${snapshotDir}/state`)).toBe(true);
    expect(existsSync(`${snapshotDir}/rootfs.ext4`)).toBe(true);
    expect(await failureOf(t.call('vms.snapshot', { hostId, id: 'snap-src', name: 'first' }))).toMatchObject({ code: 'CONFLICT' });
    const second = await t.call('vms.snapshot', { hostId, id: 'snap-src' });
    expect((await t.call('vms.snapshots', { hostId, id: 'snap-src' })).map((s) => s.name).sort()).toEqual(['first', second.snapshot.name].sort());
    expect((await t.call('vms.list')).find((vm) => vm.id === 'snap-src')).toMatchObject({ state: 'running' });
    const restored = await t.call('vms.restore', { hostId, id: 'snap-src', newId: 'snap-copy', snapshot: 'first' });
    expect(restored).toMatchObject({ id: 'snap-copy', state: 'running' });
    expect(existsSync(`${runDir('snap-copy')}/rootfs.ext4`)).toBe(true);
    // The clone's boot record is its own: a restore's time, no login figure, not its source's boot.
    await until(() => configOf('snap-copy').bootTiming !== undefined, 'the clone’s restore timing recorded');
    expect(configOf('snap-copy').bootTiming).toEqual({ createToStartMs: expect.any(Number), startToLoginMs: null, restored: true });
    expect((await t.call('metrics.bootTimes', { hostId })).vms).toContainEqual({ id: 'snap-copy', createToStartMs: expect.any(Number), startToLoginMs: null, restored: true });
    const rolled = await t.call('vms.rollback', { hostId, id: 'snap-src', snapshot: 'first' });
    expect(rolled).toMatchObject({ id: 'snap-src', state: 'running' });
    expect(await t.call('vms.snapshotDelete', { hostId, id: 'snap-src', snapshot: 'first' })).toEqual({ deleted: true });
    expect((await t.call('vms.snapshots', { hostId, id: 'snap-src' })).map((s) => s.name)).toEqual([second.snapshot.name]);
    // The clone is untouched by its source's snapshot going.
    expect((await t.call('vms.list')).find((vm) => vm.id === 'snap-copy')).toMatchObject({ state: 'running' });
    for (const id of ['snap-src', 'snap-copy']) {
      await t.call('vms.kill', { hostId, id });
      await t.call('vms.delete', { hostId, id });
    }
  });
});
