/**
 * MicroVMs under the jailer (the stand-in, a test double: test/support/jailer/jailer.sh) on a real
 * sshd host whose mount namespace has the privileged helper and a root-owned release in
 * /usr/local (private to the host), against a host without the helper, whose VMs run unjailed and
 * say so. Jail uids come from a range of this suite's own (no user or group has them); the suite
 * checks that nothing of a deleted VM is left: chroot, cgroup, uid claim, process, file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VmJail } from '../../../../shared/channels/jail';
import type { VmSummary } from '../../../../shared/channels/vms';
import { cgroupLayout } from '../../../support/jailer/cgroup-layout';
import { startJailedHost } from '../../../support/jailer/jailed-host';
import type { JailedHost } from '../../../support/jailer/jailed-host';
import { ensureKeyUser, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, consoleText, startTestCore } from '../../../support/test-core';
import { HELPER_PATH, HELPER_SHA256 } from '../../../../electron/network/network-helper';
import { jailStart } from '../../../../electron/jail/jail-scripts';
import { jailStartArguments, stopJail } from '../../../../electron/jail/jail-steps';
import type { JailStepContext } from '../../../../electron/jail/jail-steps';
import { runHostScript } from '../../../../electron/ssh/host-script';
import { vmPrepare } from '../../../../electron/vms/vm-scripts';
import type { TestCore } from '../../../support/test-core';
import { installFirecrackerFor, removeVmsOf } from '../../../support/vm-fixtures';

const user = 'fdjail-life';
const plainUser = 'fdjail-plain';
const UID_MIN = 3_917_000;
const UID_MAX = 3_917_049;
const JAIL_BASE = '/var/lib/firedeck/jail';
let uid: number;
let jailed: TestHost;
let plain: TestHost;
let images: Awaited<ReturnType<typeof installFirecrackerFor>>;
let t: TestCore;
let imageBefore: { uid: number; gid: number; mode: number; nlink: number };
const runDir = (id: string) => `/home/${user}/.firedeck/vms/${id}`;

let removeJails: ((ids: string[]) => void) | undefined;
let inHost: (args: string[]) => string;

async function startCore(): Promise<{ hostId: string; plainId: string }> {
  t = await startTestCore({ vmStopTimeoutMs: 2_000 });
  await t.call('settings.update', { jail: { uidMin: UID_MIN, uidMax: UID_MAX, uidPer: 'vm', memoryOverheadMib: 32 } });
  const hostId = await connectTestHost(t, jailed, { user, label: 'jailed' });
  const plainId = await connectTestHost(t, plain, { user: plainUser, label: 'plain' });
  return { hostId, plainId };
}

// Without a network: this host shares the machine's network namespace, where the helper's net-up
// would build real veths and NAT; the namespace a jail joins is tested on its own below.
const create = (hostId: string, id: string, kernel = images.kernel, rootfs = images.rootfs) => t.call('vms.create', { hostId, id, vcpus: 2, memoryMib: 128, kernel, rootfs, network: 'none' });


const pidOf = (id: string) => Number(readFileSync(`${runDir(id)}/firecracker.pid`, 'utf8'));
const statusUid = (pid: number) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const jailOf = (vm: VmSummary) => vm.jail as Extract<VmJail, { jailed: true }>;
/** Files anywhere Firedeck or the user keep things, owned by `owner`. */
const ownedBy = (owner: number) =>
  execFileSync('find', [JAIL_BASE, `/home/${user}`, '/tmp', '/var/tmp', '/dev/shm', '-xdev', '-uid', String(owner)], { encoding: 'utf8' }).split('\n').filter(Boolean);
/** Living processes of a uid (pid, parent, state, command). */
const processesOfUid = (owner: number) => {
  const found = spawnSync('ps', ['-o', 'pid=,ppid=,stat=,args=', '-U', String(owner)], { encoding: 'utf8' });
  // A killed VM is reparented to this machine's init, which reaps when it gets to it: a zombie
  // holds no file, memory or uid any more, so only the living count.
  return found.stdout.split('\n').filter((line) => line.trim() && line.trim().split(/\s+/)[2] !== 'Z');
};
/** Reads a file as a uid (and its gid) with no supplementary groups: null when refused. */
const readAs = (owner: number, path: string) => {
  const r = spawnSync('setpriv', [`--reuid=${owner}`, `--regid=${owner}`, '--clear-groups', '--', 'head', '-c', '1', path], { encoding: 'utf8' });
  return r.status === 0 ? 'read' : r.stderr.trim();
};

beforeAll(async () => {
  await Promise.all([ensureKeyUser(user), ensureKeyUser(plainUser)]);
  uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }));
  images = await installFirecrackerFor(user);
  await installFirecrackerFor(plainUser);
  let rig: JailedHost;
  [rig, plain] = await Promise.all([startJailedHost({ address: '127.0.0.81', user }), startTestHost({ address: '127.0.0.82', users: [plainUser] })]);
  jailed = rig.host;
  removeJails = (ids) => rig.removeJails(uid, ids);
  inHost = rig.inHost;
  await startCore();
  const image = statSync(images.rootfs);
  imageBefore = { uid: image.uid, gid: image.gid, mode: image.mode, nlink: 1 };
}, 120_000);

afterAll(async () => {
  await t?.close();
  // Whatever a failed test left: its jails (through the helper, as the app would) and run dirs.
  removeJails?.(['life', 'life-clone', 'host-a', 'host-b', 'net1', 'swept', 'kept']);
  await Promise.all([jailed?.stop(), plain?.stop()]);
  await removeVmsOf(user);
  await removeVmsOf(plainUser);
  // The suite's own users go with it (their groups and homes too); jail uids never had entries.
  for (const name of [user, plainUser]) {
    spawnSync('pkill', ['-9', '-u', name]);
    spawnSync('userdel', ['--remove', name]);
    spawnSync('groupdel', [name]);
  }
});

describe('a microVM on a host with the privileged helper', () => {
  it('runs jailed: another uid, inside its chroot, in its cgroup where the machine has one, as the VM page says', async () => {
    const hostId = (await t.call('hosts.list')).find((h) => h.label === 'jailed')!.id;
    const vm = await create(hostId, 'life');
    expect(vm).toMatchObject({ state: 'running', jail: { jailed: true, seccomp: true, netns: null } });
    const jail = jailOf(vm);
    expect(jail.uid).toBeGreaterThanOrEqual(UID_MIN);
    expect(jail.uid).toBeLessThanOrEqual(UID_MAX);
    expect(jail.uid).not.toBe(uid);
    expect(jail.chroot).toBe(`${JAIL_BASE}/u${uid}/firecracker/life/root`);

    const pid = pidOf('life');
    expect(statusUid(pid)).toBe(jail.uid);
    // /proc/PID/root reads "/" from inside; stat -L of it is the chroot directory.
    const root = statSync(`/proc/${pid}/root`);
    const chroot = statSync(jail.chroot);
    expect([root.dev, root.ino]).toEqual([chroot.dev, chroot.ino]);

    const layout = cgroupLayout();
    const v2 = layout.v2?.controllers ?? [];
    if (v2.includes('cpu') && v2.includes('memory')) {
      expect(jail.cgroup).toBe(`${layout.v2!.mount}/firedeck/u${uid}/life`);
      expect(readFileSync(`${jail.cgroup}/cpu.max`, 'utf8').trim()).toBe('200000 100000');
      expect(readFileSync(`${jail.cgroup}/memory.max`, 'utf8').trim()).toBe(String((128 + 32) * 1024 * 1024));
      expect(readFileSync(`${jail.cgroup}/cgroup.procs`, 'utf8').split('\n')).toContain(String(pid));
    } else {
      // This machine's cgroup v2 hierarchy has no cpu/memory controller (hybrid, v2 only
      // hugetlb): the jail applies no limit it cannot, says which are missing, and makes no cgroup.
      console.log(`cgroup v2 controllers here: ${v2.join(' ') || 'none'}; checked: no limits claimed, missing ones named`);
      expect(jail.cgroup).toBeNull();
      expect(jail.cgroupMissing).toEqual(['cpu', 'memory'].filter((c) => !v2.includes(c)));
      expect(layout.v2 ? existsSync(`${layout.v2.mount}/firedeck/u${uid}/life`) : false).toBe(false);
    }
    // Its resource limit: no-file as prod-host-setup.md advises.
    expect(readFileSync(`/proc/${pid}/limits`, 'utf8')).toMatch(/Max open files\s+4096\s+4096/);
  });

  it('keeps the console, pause/resume, snapshot and restore as a clone (jailed too) working', async () => {
    const hostId = (await t.call('hosts.list')).find((h) => h.label === 'jailed')!.id;
    expect(await consoleText(t, hostId, 'life', 'echo hello-from-jail\n', 'hello-from-jail\r\n')).toContain('hello-from-jail');
    expect(await t.call('vms.pause', { hostId, id: 'life' })).toMatchObject({ state: 'paused' });
    expect(await t.call('vms.resume', { hostId, id: 'life' })).toMatchObject({ state: 'running' });
    const { snapshotDir } = await t.call('vms.snapshot', { hostId, id: 'life', name: 'first' });
    expect(snapshotDir).toBe(`${runDir('life')}/snapshots/first`);
    // The snapshot is the SSH user's, in the run directory, where restore reads it.
    for (const file of ['state', 'mem', 'rootfs.ext4']) expect(statSync(`${snapshotDir}/${file}`).uid).toBe(uid);
    const clone = await t.call('vms.restore', { hostId, id: 'life', newId: 'life-clone', snapshot: 'first' });
    expect(clone).toMatchObject({ id: 'life-clone', state: 'running', jail: { jailed: true } });
    expect(jailOf(clone).uid).not.toBe(jailOf((await t.call('vms.list')).find((v) => v.id === 'life')!).uid);
    expect(statusUid(pidOf('life-clone'))).toBe(jailOf(clone).uid);
    // A second snapshot is written in the jail and handed out too; rolling back restarts the VM
    // jailed again from its own snapshot.
    await t.call('vms.snapshot', { hostId, id: 'life', name: 'second' });
    expect(statSync(`${runDir('life')}/snapshots/second/state`).uid).toBe(uid);
    const rolled = await t.call('vms.rollback', { hostId, id: 'life', snapshot: 'first' });
    expect(rolled).toMatchObject({ state: 'running', jail: { jailed: true } });
    expect(statusUid(pidOf('life'))).toBe(jailOf(rolled).uid);
  });

  it("keeps a jail uid out of the SSH user's home and another VM's disk", async () => {
    const vms = await t.call('vms.list');
    const life = jailOf(vms.find((v) => v.id === 'life')!);
    const clone = jailOf(vms.find((v) => v.id === 'life-clone')!);
    expect(readAs(life.uid, `/home/${user}/.firedeck/vms/life/config.json`)).toMatch(/Permission denied/);
    expect(readAs(life.uid, images.rootfs)).toMatch(/Permission denied/);
    // The clone's disk, seen from outside its chroot and from where it sits inside it.
    expect(readAs(life.uid, `${runDir('life-clone')}/rootfs.ext4`)).toMatch(/Permission denied/);
    expect(readAs(life.uid, `${clone.chroot}/rootfs.ext4`)).toMatch(/Permission denied/);
    // Its own disk is its group's (the SSH user still owns it); its chroot is its uid's alone.
    expect(statSync(`${life.chroot}/rootfs.ext4`)).toMatchObject({ uid, gid: life.gid });
    expect(statSync(life.chroot)).toMatchObject({ uid: life.uid, mode: 0o40700 });
  });

  it('is found again, running and jailed, by a new backend (an app restart)', async () => {
    await t.close();
    const { hostId } = await startCore();
    const found = (await t.call('vms.list')).find((v) => v.hostId === hostId && v.id === 'life');
    expect(found).toMatchObject({ state: 'running', jail: { jailed: true, chroot: `${JAIL_BASE}/u${uid}/firecracker/life/root` } });
    expect(await t.call('vms.pause', { hostId, id: 'life' })).toMatchObject({ state: 'paused' });
    expect(await t.call('vms.resume', { hostId, id: 'life' })).toMatchObject({ state: 'running' });
  });

  it('stop and delete leave no chroot, cgroup, uid claim, process or file of the jail uid', async () => {
    const hostId = (await t.call('hosts.list')).find((h) => h.label === 'jailed')!.id;
    const vms = await t.call('vms.list');
    const jails = ['life', 'life-clone'].map((id) => jailOf(vms.find((v) => v.id === id)!));
    expect(await t.call('vms.stop', { hostId, id: 'life' })).toMatchObject({ state: 'stopped' });
    // Its disk is the SSH user's alone again.
    expect(statSync(`${runDir('life')}/rootfs.ext4`)).toMatchObject({ uid, gid: imageBefore.gid, mode: 0o100600, nlink: 1 });
    expect(await t.call('vms.delete', { hostId, id: 'life' })).toEqual({ deleted: true });
    expect(await t.call('vms.kill', { hostId, id: 'life-clone' })).toMatchObject({ state: 'stopped' });
    expect(await t.call('vms.delete', { hostId, id: 'life-clone' })).toEqual({ deleted: true });
    for (const jail of jails) {
      expect(existsSync(jail.chroot)).toBe(false);
      expect(existsSync(`${JAIL_BASE}/uids/${jail.uid}`)).toBe(false);
      expect(processesOfUid(jail.uid)).toEqual([]);
      expect(ownedBy(jail.uid)).toEqual([]);
    }
    const v2 = cgroupLayout().v2;
    if (v2) expect(existsSync(`${v2.mount}/firedeck/u${uid}`)).toBe(false);
    expect(existsSync(`${JAIL_BASE}/u${uid}`)).toBe(false);
    expect(existsSync(runDir('life'))).toBe(false);
    // The image was never the VM's disk: its owner, group and mode are as before.
    expect(statSync(images.rootfs)).toMatchObject(imageBefore);
  });
});

describe('a microVM on a host without the helper', () => {
  it('boots unjailed, as the SSH user, and says so with the remedy', async () => {
    const plainId = (await t.call('hosts.list')).find((h) => h.label === 'plain')!.id;
    const plainImages = { kernel: `/home/${plainUser}/.firedeck/images/x86_64/vmlinux-6.1.102`, rootfs: `/home/${plainUser}/.firedeck/images/x86_64/rootfs-ubuntu-22.04.ext4` };
    const vm = await create(plainId, 'plain', plainImages.kernel, plainImages.rootfs);
    expect(vm).toMatchObject({ state: 'running', jail: { jailed: false, reason: 'helper-missing', message: expect.stringMatching(/^Not jailed/), remedy: expect.stringContaining('wizard') } });
    const pid = Number(readFileSync(`/home/${plainUser}/.firedeck/vms/plain/firecracker.pid`, 'utf8'));
    expect(statusUid(pid)).toBe(Number(execFileSync('id', ['-u', plainUser], { encoding: 'utf8' })));
    expect((await t.call('vms.list')).find((v) => v.id === 'plain')).toMatchObject({ jail: { jailed: false, reason: 'helper-missing' } });
    expect(await t.call('vms.delete', { hostId: plainId, id: 'plain' })).toEqual({ deleted: true });
  });
});

describe('jails whose run directory vanished', () => {
  it('are listed for the host page, then swept when the host connects again, leaving the others', async () => {
    const hostId = (await t.call('hosts.list')).find((h) => h.label === 'jailed')!.id;
    const swept = jailOf(await create(hostId, 'swept'));
    await create(hostId, 'kept');
    expect((await t.call('jail.list', { hostId })).jails).toEqual([
      { vmId: 'kept', alive: true, runDirExists: true },
      { vmId: 'swept', alive: true, runDirExists: true },
    ]);
    // Removed outside Firedeck (a user's rm -rf): the jail and its Firecracker stay behind.
    execFileSync('rm', ['-rf', runDir('swept')]);
    expect((await t.call('jail.list', { hostId })).jails).toContainEqual({ vmId: 'swept', alive: true, runDirExists: false });
    expect(processesOfUid(swept.uid)).not.toEqual([]);

    await t.call('hosts.disconnect', { id: hostId });
    const event = t.nextEvent('jail.swept', (e) => e.hostId === hostId, 30_000);
    await t.call('hosts.connect', { id: hostId });
    expect(await event).toEqual({ hostId, vmIds: ['swept'], failed: [] });
    expect(existsSync(swept.chroot)).toBe(false);
    expect(existsSync(`${JAIL_BASE}/uids/${swept.uid}`)).toBe(false);
    expect(processesOfUid(swept.uid)).toEqual([]);
    expect((await t.call('jail.list', { hostId })).jails).toEqual([{ vmId: 'kept', alive: true, runDirExists: true }]);
    expect((await t.call('vms.list')).find((v) => v.id === 'kept')).toMatchObject({ state: 'running', jail: { jailed: true } });
    expect(await t.call('vms.delete', { hostId, id: 'kept' })).toEqual({ deleted: true });
    expect((await t.call('jail.list', { hostId })).jails).toEqual([]);
  });

  it('are not listed on a host without the helper, which says why', async () => {
    const plainId = (await t.call('hosts.list')).find((h) => h.label === 'plain')!.id;
    expect(await t.call('jail.list', { hostId: plainId })).toMatchObject({ jails: [], problem: { code: 'HELPER_MISSING' } });
  });
});

describe('jail options', () => {
  it('with one uid per host, jails every VM of the host as one uid, and frees it with the last', async () => {
    const hostId = (await t.call('hosts.list')).find((h) => h.label === 'jailed')!.id;
    await t.call('settings.update', { jail: { uidMin: UID_MIN, uidMax: UID_MAX, uidPer: 'host', memoryOverheadMib: 32 } });
    const [a, b] = [jailOf(await create(hostId, 'host-a')), jailOf(await create(hostId, 'host-b'))];
    expect(a.uid).toBe(b.uid);
    expect(a.chroot).not.toBe(b.chroot);
    await t.call('vms.delete', { hostId, id: 'host-a' });
    expect(existsSync(`${JAIL_BASE}/uids/${a.uid}`)).toBe(true);
    expect(statusUid(pidOf('host-b'))).toBe(b.uid);
    await t.call('vms.delete', { hostId, id: 'host-b' });
    expect(existsSync(`${JAIL_BASE}/uids/${a.uid}`)).toBe(false);
    expect(processesOfUid(a.uid)).toEqual([]);
    await t.call('settings.update', { jail: { uidMin: UID_MIN, uidMax: UID_MAX, uidPer: 'vm', memoryOverheadMib: 32 } });
  });

  it('joins the VM’s network namespace (fd<uid>-<id>) when the VM has one', async () => {
    const hostId = (await t.call('hosts.list')).find((h) => h.label === 'jailed')!.id;
    const netns = `fd${uid}-net1`;
    // Made in the host's mount namespace, as the helper's net-up makes it there (a namespace
    // handle is a bind mount, which this machine's mount namespace would not pass on).
    inHost(['ip', 'netns', 'add', netns]);
    // tap0 as the helper's net-up makes it: the SSH user's.
    inHost(['ip', '-n', netns, 'tuntap', 'add', 'dev', 'tap0', 'mode', 'tap', 'user', String(uid)]);
    try {
      // What the boot does once the network steps made the namespace (ctx.vmNetwork): the same
      // scripts, with the namespace's name.
      const connection = t.core.hosts.connection(hostId);
      await runHostScript(connection, vmPrepare, [runDir('net1'), JSON.stringify({ id: 'net1', vcpus: 1, memoryMib: 128, kernel: images.kernel, rootfs: images.rootfs })]);
      execFileSync('runuser', ['-u', user, '--', 'cp', images.rootfs, `${runDir('net1')}/rootfs.ext4`]);
      const ctx = { request: { id: 'net1', vcpus: 1, memoryMib: 128, kernel: images.kernel }, firecrackerBinary: '/usr/local/bin/firecracker', jailerBinary: '/usr/local/bin/jailer', vmNetwork: { netns } } as unknown as JailStepContext;
      const started = await runHostScript(connection, jailStart, [runDir('net1'), HELPER_PATH, HELPER_SHA256, ...jailStartArguments(ctx)]);
      expect(started.output).toContain(`netns=/run/netns/${netns}`);
      const pid = pidOf('net1');
      expect(statSync(`/proc/${pid}/ns/net`).ino).toBe(Number(inHost(['stat', '-L', '-c', '%i', `/run/netns/${netns}`])));
      expect((await t.call('vms.list')).find((v) => v.id === 'net1')).toMatchObject({ state: 'starting', jail: { jailed: true, netns } });
      // A persistent tap opens only for its owner: the jail's uid while the VM runs…
      const jailUid = statusUid(pid);
      expect(inHost(['ip', '-n', netns, '-d', 'link', 'show', 'tap0'])).toMatch(new RegExp(`tun type tap .*user ${jailUid} group ${jailUid}`));
      // Stop and kill take the network down too; a rollback ends the jail alone, so:
      await stopJail(connection, runDir('net1'), 'net1');
      expect(existsSync(`${JAIL_BASE}/u${uid}/firecracker/net1`)).toBe(false);
      // …and the SSH user's again once the jail is gone.
      expect(inHost(['ip', '-n', netns, '-d', 'link', 'show', 'tap0'])).toMatch(new RegExp(`tun type tap .*user ${user}\\b`));
      // Delete takes the namespace away with the VM's network (the helper's net-down).
      await t.call('vms.delete', { hostId, id: 'net1' });
      expect(inHost(['ip', 'netns', 'list'])).not.toContain(netns);
    } finally {
      spawnSync('nsenter', ['-t', String(jailed.pid), '-m', '--', 'ip', 'netns', 'del', netns]);
    }
  });
});
