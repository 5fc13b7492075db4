import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../../../support/dash-stream';
import { ensureKeyUser, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';
import { installFirecrackerFor, processesOf } from '../../../support/vm-fixtures';

const user = 'fdvm-net';
let host: TestHost;
let images: Awaited<ReturnType<typeof installFirecrackerFor>>;
let t: TestCore;
const runDir = (id: string) => `/home/${user}/.firedeck/vms/${id}`;

beforeAll(async () => {
  await ensureKeyUser(user);
  killLeftovers();
  images = await installFirecrackerFor(user);
  host = await startTestHost({ address: '127.0.0.101', users: [user] });
});
/** What an earlier, failed run may have left: VMs (removeVmsOf finds those) and bridges, whose command lines name no path. */
function killLeftovers() {
  for (const pattern of ['firedeck/vms/', 'TCP-LISTEN']) {
    try {
      execFileSync('pkill', ['-9', '-u', user, '-f', pattern], { stdio: 'ignore' });
    } catch {
      // nothing left
    }
  }
}

afterAll(async () => {
  await host.stop();
  killLeftovers();
});
beforeEach(async () => {
  t = await startTestCore({ vmStopTimeoutMs: 3_000 });
});
afterEach(async () => {
  await t.close();
});

const create = (hostId: string, id: string, extra: Record<string, unknown> = {}) =>
  t.call('vms.create', { hostId, id, vcpus: 1, memoryMib: 128, kernel: images.kernel, rootfs: images.rootfs, ...extra });
const cleanUp = async (hostId: string, ...ids: string[]) => {
  for (const id of ids) {
    await t.call('vms.kill', { hostId, id });
    await t.call('vms.delete', { hostId, id });
  }
};

/** Connects the test host as a host whose API transport is the LAN tcp port. */
async function connectOverLan(): Promise<string> {
  const hostId = await connectTestHost(t, host, { user });
  const record = (await t.call('hosts.list')).find((h) => h.id === hostId)!;
  await t.call('hosts.update', { id: hostId, host: { label: record.label, address: record.address, port: record.port, user: record.user, auth: record.auth, transport: 'tcp' } });
  return hostId;
}
/** Listening bridges of the test user: socat processes not forked by another (those serve one connection). */
const bridges = () => {
  const socats = processesOf(user, 'TCP-LISTEN').map((line) => Number(line.split(' ')[0]));
  return socats.filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return !socats.includes(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      return false; // gone meanwhile
    }
  });
};

describe('a VM whose API socket refuses connections', () => {
  it('is that VM’s problem alone: the host keeps ssh-unix and its other VMs', async () => {
    let hostId = await connectTestHost(t, host, { user });
    await create(hostId, 'hung-1');
    await create(hostId, 'well-1');
    // Firecracker keeps running, but its socket file now refuses connections (a hung API).
    const socket = `${runDir('hung-1')}/api.sock`;
    rmSync(socket);
    execFileSync('perl', ['-MIO::Socket::UNIX', '-e', 'IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0]) or die', socket]);
    execFileSync('chown', [`${user}:${user}`, socket]);

    // A fresh backend decides the host's transport from scratch, meeting the hung VM first or not.
    await t.close();
    t = await startTestCore({ vmStopTimeoutMs: 3_000 });
    hostId = await connectTestHost(t, host, { user });
    const listed = await t.call('vms.list');
    expect(listed.find((vm) => vm.id === 'hung-1')).toMatchObject({ state: 'unknown' });
    expect(listed.find((vm) => vm.id === 'well-1')).toMatchObject({ state: 'running' });
    expect((await t.call('vms.list')).find((vm) => vm.id === 'well-1')).toMatchObject({ state: 'running' });
    expect((await t.call('hosts.list')).find((h) => h.id === hostId)?.apiTransport).toMatchObject({ inUse: 'ssh-unix' });
    expect(await t.call('vms.pause', { hostId, id: 'well-1' })).toMatchObject({ state: 'paused' });
    expect(await failureOf(t.call('vms.pause', { hostId, id: 'hung-1' }))).toMatchObject({ code: 'FIRECRACKER_UNREACHABLE', message: expect.stringContaining('refuses connections') });
    expect(bridges()).toEqual([]);
    await cleanUp(hostId, 'hung-1', 'well-1');
  });
});

describe('the LAN tcp transport (chosen, unsafe)', () => {
  it('works, and says which transport it is', async () => {
    const hostId = await connectOverLan();
    expect(await create(hostId, 'lan-1')).toMatchObject({ state: 'running' });
    expect(bridges()).toHaveLength(1);
    expect((await t.call('hosts.list')).find((h) => h.id === hostId)?.apiTransport).toMatchObject({ inUse: 'tcp', reason: expect.stringContaining('without authentication') });
    expect(await t.call('vms.pause', { hostId, id: 'lan-1' })).toMatchObject({ state: 'paused' });
    await t.call('vms.delete', { hostId, id: 'lan-1' });
    expect(processesOf(user, 'TCP-LISTEN')).toEqual([]);
  });

  it('a boot rolled back after fc.connect stops the bridge it started', async () => {
    const hostId = await connectOverLan();
    // A snapshot whose state file is damaged fails fc.loadSnapshot, a step after fc.connect.
    await create(hostId, 'lan-src');
    await t.call('vms.snapshot', { hostId, id: 'lan-src', name: 'broken' });
    writeFileSync(`${runDir('lan-src')}/snapshots/broken/state`, 'not a snapshot');
    const failed = await failureOf(t.call('vms.restore', { hostId, id: 'lan-src', newId: 'lan-undo', snapshot: 'broken' }));
    expect(failed).toMatchObject({ details: { step: 'fc.loadSnapshot' } });
    expect(existsSync(runDir('lan-undo'))).toBe(false);
    expect(processesOf(user, runDir('lan-undo'))).toEqual([]);
    await t.call('vms.delete', { hostId, id: 'lan-src' });
    expect(processesOf(user, 'TCP-LISTEN')).toEqual([]);
  });

  it('an exited VM’s bridge is stopped when the VM is seen dead, not when it is deleted', async () => {
    const hostId = await connectOverLan();
    await create(hostId, 'lan-dies');
    expect(bridges()).toHaveLength(1);
    execFileSync('pkill', ['-9', '-u', user, '-f', `${runDir('lan-dies')}/api.sock`]);
    expect((await t.call('vms.list')).find((vm) => vm.id === 'lan-dies')).toMatchObject({ state: 'exited' });
    await until(() => processesOf(user, 'TCP-LISTEN').length === 0, 'the dead VM’s bridge stopped');
    await t.call('vms.delete', { hostId, id: 'lan-dies' });
  });
});
