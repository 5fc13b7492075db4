import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile, link, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SetupReport } from '../../../../shared/channels/wizard';
import { ensureKeyUser, setFakeCommands, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';
import { startTestMirror } from '../../../support/test-mirror';
import type { TestMirror } from '../../../support/test-mirror';
import { makeTempDir } from '../../../support/temp-dir';
import { removeVmsOf, x86KernelHeader } from '../../../support/vm-fixtures';
import { startImageServer } from './image-server';

/**
 * The wizard's root filesystem, built by an SSH user who is not root and has no sudo: the
 * image's owners, modes, setuid bits, device nodes, links and xattrs must survive, and root
 * must own /root/.ssh. The squashfs is made here, as root, with all of those in it.
 */
const PREFIX = 'firecracker-ci/v1.12/x86_64';
let mirror: TestMirror;
let bucket: Awaited<ReturnType<typeof startImageServer>>;
let temp: Awaited<ReturnType<typeof makeTempDir>>;
const hosts: TestHost[] = [];
const cores: TestCore[] = [];

async function buildSquashfs(dir: string): Promise<string> {
  const tree = join(dir, 'tree');
  await mkdir(join(tree, 'etc'), { recursive: true });
  await writeFile(join(tree, 'etc', 'os-release'), 'PRETTY_NAME="Firedeck owners test"\n');
  await mkdir(join(tree, 'root'), { mode: 0o700 });
  await mkdir(join(tree, 'home', 'guest'), { recursive: true });
  await writeFile(join(tree, 'home', 'guest', 'notes.txt'), 'mine\n');
  execFileSync('chown', ['-R', '1234:2345', join(tree, 'home', 'guest')]);
  await mkdir(join(tree, 'usr', 'bin'), { recursive: true });
  await writeFile(join(tree, 'usr', 'bin', 'sudo'), '#!/bin/sh\n');
  await chmod(join(tree, 'usr', 'bin', 'sudo'), 0o4755);
  await writeFile(join(tree, 'usr', 'bin', 'tool'), 'one file, two names\n');
  await link(join(tree, 'usr', 'bin', 'tool'), join(tree, 'usr', 'bin', 'tool-alias'));
  execFileSync('setfattr', ['-n', 'user.firedeck', '-v', 'kept', join(tree, 'usr', 'bin', 'tool')]);
  await symlink('usr/bin', join(tree, 'bin'));
  await mkdir(join(tree, 'dev'));
  execFileSync('mknod', ['-m', '600', join(tree, 'dev', 'console'), 'c', '5', '1']);
  const squashfs = join(dir, 'owners.squashfs');
  execFileSync('mksquashfs', [tree, squashfs, '-quiet', '-noappend', '-xattrs']);
  return squashfs;
}

beforeAll(async () => {
  temp = await makeTempDir('firedeck-rootfs-');
  const kernel = join(temp.path, 'vmlinux');
  await writeFile(kernel, x86KernelHeader());
  const damaged = join(temp.path, 'damaged.squashfs');
  await writeFile(damaged, Buffer.concat([Buffer.from('hsqs'), Buffer.alloc(4096, 0x5a)]));
  mirror = await startTestMirror();
  bucket = await startImageServer({
    [`${PREFIX}/vmlinux-6.1.102`]: kernel,
    [`${PREFIX}/ubuntu-22.04.squashfs`]: await buildSquashfs(temp.path),
    [`${PREFIX}/damaged-1.0.squashfs`]: damaged,
  });
});
afterAll(async () => {
  await Promise.all(cores.map((c) => c.close()));
  await Promise.all(hosts.map((h) => h.stop()));
  await bucket.stop();
  await mirror.stop();
  await temp.cleanup();
});

/** A host whose user is not root and has no sudo (fakeroot as the machine has it, unless `fake` hides it). */
async function plainUserHost(name: string, address: string, fake?: Record<string, string>) {
  const user = await ensureKeyUser(name);
  await removeVmsOf(user);
  await rm(`/home/${user}/.firedeck`, { recursive: true, force: true });
  await rm(`/home/${user}/bin`, { recursive: true, force: true });
  if (fake) await setFakeCommands(user, fake);
  const host = await startTestHost({ address, users: [user] });
  hosts.push(host);
  const t = await startTestCore();
  cores.push(t);
  await t.call('settings.update', { firecrackerReleaseBaseUrl: mirror.releaseBaseUrl, imageBaseUrl: bucket.baseUrl });
  return { user, t, id: await connectTestHost(t, host, { user }) };
}

const failed = (report: SetupReport) => report.steps.find((s) => s.status === 'failed');
const debugfs = (image: string, request: string) => execFileSync('/usr/sbin/debugfs', ['-R', request, image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
const owner = (stat: string) => /User:\s*(\d+)\s+Group:\s*(\d+)/.exec(stat)?.slice(1).map(Number);
const mode = (stat: string) => /Mode:\s*(\d+)/.exec(stat)?.[1];

describe('the wizard’s root filesystem, built by a user who is not root', () => {
  it('keeps the image’s owners, setuid bits, device nodes, links and xattrs, and root owns /root/.ssh', async () => {
    const { user, t, id } = await plainUserHost('fdset-rootfs', '127.0.0.161');
    const report = await t.call('wizard.run', { hostId: id });
    expect(failed(report)).toBeUndefined();
    const images = report.steps.find((s) => s.name === 'images.install')!;
    expect(images.detail).toContain('fakeroot');
    expect(report.installed).toEqual({ kernel: `/home/${user}/.firedeck/images/x86_64/vmlinux-6.1.102`, rootfs: `/home/${user}/.firedeck/images/x86_64/rootfs-ubuntu-22.04.ext4` });
    const image = report.installed!.rootfs;

    expect(owner(debugfs(image, 'stat /etc'))).toEqual([0, 0]);
    expect(owner(debugfs(image, 'stat /root/.ssh'))).toEqual([0, 0]);
    const keys = debugfs(image, 'stat /root/.ssh/authorized_keys');
    expect(owner(keys)).toEqual([0, 0]);
    expect(mode(keys)).toBe('0600');
    expect(debugfs(image, 'cat /root/.ssh/authorized_keys')).toMatch(/^ssh-ed25519 \S+ firedeck-guest/);
    const sudo = debugfs(image, 'stat /usr/bin/sudo');
    expect([owner(sudo), mode(sudo)]).toEqual([[0, 0], '04755']);
    const console = debugfs(image, 'stat /dev/console');
    expect(console).toContain('Type: character special');
    expect(console).toMatch(/Device major\/minor number: 0*5:0*1/);
    expect(owner(debugfs(image, 'stat /home/guest/notes.txt'))).toEqual([1234, 2345]);
    expect(debugfs(image, 'stat /usr/bin/tool')).toMatch(/Links: 2/);
    expect(debugfs(image, 'ea_list /usr/bin/tool')).toContain('user.firedeck');
    expect(debugfs(image, 'stat /bin')).toContain('Type: symlink');
    // Nothing of the build is left beside the images.
    expect(readdirSync(`/home/${user}/.firedeck/images/x86_64`).sort()).toEqual(['rootfs-ubuntu-22.04.ext4', 'rootfs-ubuntu-22.04.ext4.sha256', 'vmlinux-6.1.102', 'vmlinux-6.1.102.sha256']);
  });

  it('refuses a squashfs that cannot be unpacked with unsquashfs’s own message, and leaves no image under its name', async () => {
    const { user, t, id } = await plainUserHost('fdset-rootfs-bad', '127.0.0.162');
    const report = await t.call('wizard.run', { hostId: id, rootfsKey: `${PREFIX}/damaged-1.0.squashfs` });
    expect(failed(report)).toMatchObject({ name: 'images.install', error: { code: 'ROOTFS_UNPACK_FAILED', remedy: expect.stringContaining('another root filesystem') } });
    expect(failed(report)!.error!.message).toMatch(/unsquashfs says: .*Can't find a valid SQUASHFS superblock/);
    const left = readdirSync(`/home/${user}/.firedeck/images/x86_64`);
    expect(left.filter((n) => n.startsWith('rootfs-') || n.startsWith('.rootfs-build') || n.includes('damaged'))).toEqual([]);
  });

  it('stops at the root filesystem with its remedy when the host has neither fakeroot nor sudo', async () => {
    // A stand-in ahead on PATH makes fakeroot fail as a missing or broken one does.
    const { user, t, id } = await plainUserHost('fdset-nofakeroot', '127.0.0.163', { fakeroot: 'echo "fakeroot: command not found" >&2; exit 127' });
    const report = await t.call('wizard.run', { hostId: id });
    expect(failed(report)).toMatchObject({
      name: 'images.install',
      error: { code: 'FAKEROOT_MISSING', remedy: expect.stringMatching(/install fakeroot.*passwordless sudo/i) },
    });
    expect(failed(report)!.error!.message).toContain(`${user} is not root`);
    expect(readdirSync(`/home/${user}/.firedeck/images/x86_64`).filter((n) => n.startsWith('rootfs-'))).toEqual([]);
  });
});
