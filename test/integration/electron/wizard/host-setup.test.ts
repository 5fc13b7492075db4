import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SetupReport } from '../../../../shared/channels/wizard';
import { ensureKeyUser, grantPasswordlessSudo, KVM_TEST_GROUP, revokeKvm, setFakeCommands, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';
import { startTestMirror, TAMPERED_VERSION } from '../../../support/test-mirror';
import type { TestMirror } from '../../../support/test-mirror';
import { arm64KernelHeader, removeVmsOf, x86KernelHeader } from '../../../support/vm-fixtures';

let mirror: TestMirror;
let t: TestCore;
const hosts: TestHost[] = [];

/** A bare host: a fresh user with KVM access (or, with `kvm: false`, a /dev/kvm it may not open) and nothing installed. */
async function bareHost(name: string, address: string, options: { kvm?: boolean; fake?: Record<string, string> } = {}) {
  const user = await ensureKeyUser(name);
  await removeVmsOf(user);
  await rm(`/home/${user}/.firedeck`, { recursive: true, force: true });
  // A user from an earlier run on this machine may still be in the test KVM group.
  if (options.kvm === false) revokeKvm(user);
  if (options.fake) await setFakeCommands(user, options.fake);
  const host = await startTestHost({ address, users: [user], kvm: options.kvm === false ? 'permission' : 'ok' });
  hosts.push(host);
  return { user, host, id: await connectTestHost(t, host, { user, label: name }) };
}

const statuses = (report: SetupReport) => Object.fromEntries(report.steps.map((s) => [s.name, s.status]));
const failed = (report: SetupReport) => report.steps.find((s) => s.status === 'failed');

beforeAll(async () => {
  mirror = await startTestMirror();
});
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  await mirror.stop();
});
beforeEach(async () => {
  t = await startTestCore();
  await t.call('settings.update', { firecrackerReleaseBaseUrl: mirror.releaseBaseUrl, imageBaseUrl: mirror.imageBaseUrl });
});
afterEach(() => t.close());

describe('host setup wizard', () => {
  it('takes a bare host to a first running microVM, and a second run changes nothing', async () => {
    const { user, id } = await bareHost('fdwiz-1', '127.0.0.41');
    const report = await t.call('wizard.run', { hostId: id });
    expect(failed(report)).toBeUndefined();
    expect(statuses(report)).toEqual({
      'host.connect': 'done',
      'host.probe': 'done',
      'firecracker.install': 'done',
      'socat.install': 'skipped',
      'images.install': 'done',
      ready: 'done',
    });
    const install = report.steps.find((s) => s.name === 'firecracker.install')!;
    expect(install.detail).toMatch(/v1\.12\.0 for x86_64 installed in \/home\/fdwiz-1\/\.firedeck\/bin .*SHA-256 verified/);
    expect(install.commands.join('\n')).toContain('curl -fsSL');
    const images = `/home/${user}/.firedeck/images/x86_64`;
    expect(readdirSync(images).sort()).toEqual(['rootfs-ubuntu-22.04.ext4', 'rootfs-ubuntu-22.04.ext4.sha256', 'vmlinux-6.1.102', 'vmlinux-6.1.102.sha256']);
    // The writable rootfs carries Firedeck's guest key.
    const keys = execFileSync('/usr/sbin/debugfs', ['-R', 'cat /root/.ssh/authorized_keys', `${images}/rootfs-ubuntu-22.04.ext4`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(keys).toMatch(/^ssh-ed25519 \S+ firedeck-guest/);

    const vm = await t.call('vms.create', { hostId: id, id: 'first-vm', vcpus: 1, memoryMib: 128, kernel: `${images}/vmlinux-6.1.102`, rootfs: `${images}/rootfs-ubuntu-22.04.ext4` });
    expect(vm.state).toBe('running');
    await t.call('vms.kill', { hostId: id, id: 'first-vm' });
    await t.call('vms.delete', { hostId: id, id: 'first-vm' });

    const before = mirror.requests.length;
    const again = await t.call('wizard.run', { hostId: id });
    expect(statuses(again)).toMatchObject({ 'firecracker.install': 'skipped', 'images.install': 'skipped', ready: 'done' });
    // Nothing was downloaded again; the re-run did not even need the network.
    expect(mirror.requests.slice(before)).toEqual([]);
  });

  it('refuses a tampered release and leaves nothing installed', async () => {
    const { user, id } = await bareHost('fdwiz-2', '127.0.0.42');
    const report = await t.call('wizard.run', { hostId: id, firecrackerVersion: TAMPERED_VERSION });
    expect(failed(report)).toMatchObject({ name: 'firecracker.install', error: { code: 'FIRECRACKER_CHECKSUM_MISMATCH', remedy: expect.stringContaining('mirror') } });
    expect(existsSync(`/home/${user}/.firedeck/bin/firecracker`)).toBe(false);
    expect(readdirSync(`/home/${user}/.firedeck/downloads`).filter((n) => n.endsWith('.tgz'))).toEqual([]);
  });

  it('downloads here and uploads when the host cannot reach the mirror', async () => {
    const { user, id } = await bareHost('fdwiz-3', '127.0.0.43', { fake: { curl: 'echo "curl: (7) Failed to connect" >&2; exit 7' } });
    const report = await t.call('wizard.run', { hostId: id });
    expect(failed(report)).toBeUndefined();
    expect(report.steps.find((s) => s.name === 'firecracker.install')!.detail).toContain('downloaded here and uploaded');
    expect(execFileSync(`/home/${user}/.firedeck/bin/firecracker`, ['--version'], { encoding: 'utf8' })).toContain('Firecracker v1.12.0');
  });

  it('refuses a kernel of the wrong architecture after downloading it, and keeps nothing under its name', async () => {
    const { user, id } = await bareHost('fdwiz-4', '127.0.0.44');
    const report = await t.call('wizard.run', { hostId: id, kernelKey: 'firecracker-ci/v1.12/x86_64/vmlinux-5.10.999' });
    expect(failed(report)).toMatchObject({ name: 'images.install', error: { code: 'KERNEL_ARCH_MISMATCH' } });
    expect(failed(report)!.error!.message).toMatch(/aarch64.*x86_64/);
    expect(readdirSync(`/home/${user}/.firedeck/images/x86_64`)).toEqual([]);
  });

  it('stops at the probe with its remedy when the user may not open /dev/kvm', async () => {
    const { id } = await bareHost('fdwiz-5', '127.0.0.45', { kvm: false });
    const report = await t.call('wizard.run', { hostId: id });
    expect(failed(report)).toMatchObject({ name: 'host.probe', error: { code: 'KVM_EACCES', remedy: expect.stringMatching(new RegExp(`usermod -aG ${KVM_TEST_GROUP} fdwiz-5.*setfacl`)) } });
    expect(statuses(report)['firecracker.install']).toBe('pending');
    // The offered fix needs sudo; without it the user is told what to run instead.
    const fix = await failureOf(t.call('wizard.grantKvmAccess', { hostId: id }));
    expect(fix).toMatchObject({ code: 'SUDO_REQUIRED', remedy: expect.stringContaining('usermod -aG kvm') });
  });

  it('sets up an aarch64 host with aarch64 Firecracker and images, and refuses an x86_64 kernel there', async () => {
    const { user, id } = await bareHost('fdwiz-6', '127.0.0.46', { fake: { uname: 'if [ "$1" = "-m" ]; then echo aarch64; else exec /bin/uname "$@"; fi' } });
    const report = await t.call('wizard.run', { hostId: id });
    expect(failed(report)).toBeUndefined();
    expect(report.steps.find((s) => s.name === 'firecracker.install')!.detail).toContain('for aarch64');
    const catalog = await t.call('images.catalog', { hostId: id });
    expect(catalog.filter((i) => i.compatible).every((i) => i.arch === 'aarch64')).toBe(true);
    expect(catalog.some((i) => !i.compatible && i.arch === 'x86_64')).toBe(true);
    const images = await t.call('images.listInstalled', { hostId: id });
    expect(images.arch).toBe('aarch64');
    const x86 = `/home/${user}/x86-kernel`;
    await writeFile(x86, x86KernelHeader());
    execFileSync('chown', [user, x86]);
    const refused = await failureOf(t.call('vms.create', { hostId: id, id: 'wrong', vcpus: 1, memoryMib: 128, kernel: x86, rootfs: images.images.find((i) => i.kind === 'rootfs')!.path }));
    expect(refused).toMatchObject({ code: 'KERNEL_ARCH_MISMATCH' });
    expect(refused.message).toMatch(/x86_64.*aarch64/);
  });
});

describe('importing images from this computer', () => {
  it('uploads a kernel of the host’s architecture with its checksum, and refuses one of another', async () => {
    const { user, id } = await bareHost('fdwiz-7', '127.0.0.48');
    await t.call('wizard.run', { hostId: id });
    await t.call('workspaces.create', { id: 'imports' });
    const staged = join(t.dataDir, 'workspaces', 'imports');
    await writeFile(join(staged, 'vmlinux-custom'), x86KernelHeader());
    await writeFile(join(staged, 'arm-kernel'), arm64KernelHeader());
    const imported = await t.call('images.import', { hostId: id, workspaceId: 'imports', path: 'vmlinux-custom', transferId: randomUUID() });
    expect(imported).toMatchObject({ name: 'vmlinux-custom', kind: 'kernel', path: `/home/${user}/.firedeck/images/x86_64/vmlinux-custom` });
    const listed = await t.call('images.listInstalled', { hostId: id });
    expect(listed.images.find((i) => i.name === 'vmlinux-custom')).toMatchObject({ sha256: imported.sha256 });
    expect(await failureOf(t.call('images.import', { hostId: id, workspaceId: 'imports', path: 'arm-kernel', transferId: randomUUID() }))).toMatchObject({ code: 'KERNEL_ARCH_MISMATCH' });
    expect(existsSync(`/home/${user}/.firedeck/images/x86_64/vmlinux-arm-kernel`)).toBe(false);
  });

  it('reports each kernel’s architecture from its header, whatever folder it sits in', async () => {
    const { user, id } = await bareHost('fdset-arch', '127.0.0.165');
    await t.call('wizard.run', { hostId: id });
    // An arm64 kernel copied into the x86_64 folder by hand, and a file named like a kernel that is none.
    const dir = `/home/${user}/.firedeck/images/x86_64`;
    await writeFile(`${dir}/vmlinux-6.1-copied`, arm64KernelHeader());
    await writeFile(`${dir}/vmlinux-notes`, 'not a kernel\n');
    execFileSync('chown', [user, `${dir}/vmlinux-6.1-copied`, `${dir}/vmlinux-notes`]);
    const kernels = (await t.call('images.listInstalled', { hostId: id })).images.filter((i) => i.kind === 'kernel');
    expect(Object.fromEntries(kernels.map((k) => [k.name, k.arch ?? 'none']))).toEqual({ 'vmlinux-6.1.102': 'x86_64', 'vmlinux-6.1-copied': 'aarch64', 'vmlinux-notes': 'none' });
  });

  it('cancels an image upload and leaves nothing on the host', async () => {
    const { user, id } = await bareHost('fdwiz-10', '127.0.0.56');
    await t.call('wizard.run', { hostId: id });
    await t.call('workspaces.create', { id: 'imports' });
    const big = Buffer.alloc(96 * 1024 * 1024);
    x86KernelHeader().copy(big);
    await writeFile(join(t.dataDir, 'workspaces', 'imports', 'vmlinux-big'), big);
    const transferId = randomUUID();
    const started = t.nextEvent('transfers.progressed', (e) => e.transferId === transferId);
    const upload = failureOf(t.call('images.import', { hostId: id, workspaceId: 'imports', path: 'vmlinux-big', transferId }));
    await started;
    expect(await t.call('transfers.cancel', { transferId })).toEqual({ cancelled: true });
    expect(await upload).toMatchObject({ code: 'CANCELLED' });
    expect(readdirSync(`/home/${user}/.firedeck/images/x86_64`).filter((n) => n.includes('big'))).toEqual([]);
  });
});

describe('asking for a host that does not exist', () => {
  it('answers NOT_FOUND every time and keeps nothing for it', async () => {
    const unknown = randomUUID();
    for (let i = 0; i < 3; i++) expect(await failureOf(t.call('wizard.run', { hostId: unknown }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await t.call('wizard.report', { hostId: unknown })).toBeNull();
  });

  it('forgets the report of a host that was removed', async () => {
    const { id } = await bareHost('fdset-removed', '127.0.0.166', { kvm: false });
    await t.call('wizard.run', { hostId: id });
    expect(await t.call('wizard.report', { hostId: id })).not.toBeNull();
    await t.call('hosts.remove', { id });
    expect(await t.call('wizard.report', { hostId: id })).toBeNull();
  });
});

describe('KVM verdicts in the wizard', () => {
  it.each([
    ['missing', 'KVM_MISSING', /modprobe kvm_intel|nested virtualization/],
    ['no-virtualization', 'KVM_ENODEV', /nested virtualization|bare-metal/],
    ['lima', 'KVM_ENODEV', /remote Linux server/],
  ] as const)('a host whose /dev/kvm is %s stops at the probe with its remedy', async (kvm, code, remedy) => {
    const user = await ensureKeyUser(`fdkvm-${kvm.slice(0, 4)}`);
    const host = await startTestHost({ address: `127.0.0.${kvm === 'missing' ? 51 : kvm === 'lima' ? 53 : 52}`, users: [user], kvm });
    hosts.push(host);
    const id = await connectTestHost(t, host, { user });
    const report = await t.call('wizard.run', { hostId: id });
    expect(failed(report)).toMatchObject({ name: 'host.probe', error: { code, remedy: expect.stringMatching(remedy) } });
  });
});

describe('resuming', () => {
  it('after an app quit in the middle of the image step, the next run cleans up and finishes', async () => {
    const { user, id } = await bareHost('fdwiz-8', '127.0.0.49');
    const dir = `/home/${user}/.firedeck/images/x86_64`;
    // What a run killed mid-way leaves: half downloads and a half-built rootfs, under temp names only.
    execFileSync('runuser', ['-u', user, '--', 'sh', '-c', `mkdir -p ${dir}/.rootfs-build.abc123/tree && head -c 100 /dev/urandom > ${dir}/.vmlinux-6.1.102.dl.part && head -c 100 /dev/urandom > ${dir}/.rootfs-ubuntu-22.04.ext4.part`]);
    const report = await t.call('wizard.run', { hostId: id });
    expect(failed(report)).toBeUndefined();
    expect(readdirSync(dir).sort()).toEqual(['rootfs-ubuntu-22.04.ext4', 'rootfs-ubuntu-22.04.ext4.sha256', 'vmlinux-6.1.102', 'vmlinux-6.1.102.sha256']);
  });

  it('a cancelled run says so, and running again completes it', async () => {
    const { id } = await bareHost('fdwiz-9', '127.0.0.50');
    const started = t.nextEvent('wizard.stepProgressed', (e) => e.hostId === id && e.step.name === 'firecracker.install' && e.step.status === 'running');
    const first = t.call('wizard.run', { hostId: id });
    await started;
    expect(await t.call('wizard.cancel', { hostId: id })).toEqual({ cancelled: true });
    const cancelled = await first;
    expect(cancelled.steps.find((s) => s.status === 'failed')).toMatchObject({ error: { code: 'CANCELLED' } });
    const again = await t.call('wizard.run', { hostId: id });
    expect(failed(again)).toBeUndefined();
    expect(statuses(again).ready).toBe('done');
  });
});

describe('with sudo', () => {
  it('installs Firecracker for every user into /usr/local/bin', async () => {
    const user = await ensureKeyUser('fdwiz-sudo');
    await rm(`/home/${user}/.firedeck`, { recursive: true, force: true });
    await grantPasswordlessSudo(user);
    // /usr/local/bin is private to this host's sessions, so the install does not touch the machine.
    const host = await startTestHost({ address: '127.0.0.54', users: [user], privateDirs: ['/usr/local/bin'] });
    hosts.push(host);
    const id = await connectTestHost(t, host, { user });
    const report = await t.call('wizard.run', { hostId: id });
    expect(failed(report)).toBeUndefined();
    expect(report.steps.find((s) => s.name === 'firecracker.install')!.detail).toContain('installed in /usr/local/bin');
    const probe = await t.call('hosts.probe', { id });
    expect(probe).toMatchObject({ sudo: 'passwordless', firecracker: { present: true, path: '/usr/local/bin/firecracker', version: 'Firecracker v1.12.0' } });
    expect(existsSync('/usr/local/bin/firecracker')).toBe(false); // not on this machine, only in that host's namespace
  });
});
