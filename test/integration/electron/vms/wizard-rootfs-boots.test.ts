import { execFileSync, spawn } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureKeyUser, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';
import { REAL_GUEST_KERNEL, REAL_GUEST_ROOTFS, startTestMirror } from '../../../support/test-mirror';
import type { TestMirror } from '../../../support/test-mirror';
import { emulatorPath, removeVmsOf } from '../../../support/vm-fixtures';

/**
 * The wizard's root filesystem really boots: on a host whose SSH user is not root and has no
 * sudo (fakeroot as this machine has it), the wizard turns the mirror's real Debian squashfs into
 * ext4, and the guest booted from it (the emulator's real guest, on a tap in a namespace of this
 * test's own) lets the wizard's guest key log in as root: root owns /root/.ssh, so sshd accepts it.
 */
const isRoot = process.getuid?.() === 0;
const PREFIX = 'firecracker-ci/v1.12/x86_64';
const BOOT_ARGS = 'console=ttyS0 reboot=k panic=1 pci=off ip=169.254.78.2::169.254.78.1:255.255.255.252::eth0:off:169.254.78.1';
let mirror: TestMirror;
let host: TestHost;
let t: TestCore;
const work = mkdtempSync(join(tmpdir(), 'firedeck-wizard-boot-'));

beforeAll(async () => {
  if (!isRoot) return;
  mirror = await startTestMirror({ realGuest: true });
}, 1_800_000);
afterAll(async () => {
  await t?.close();
  await host?.stop();
  await mirror?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!isRoot)('the wizard’s root filesystem on a host without root or sudo', () => {
  // Once seen stalling after SSH2_MSG_SERVICE_ACCEPT at load ~15 on 2 cores; the built image
  // matches ext4For()'s in every owner, mode, xattr and file sshd reads (compared entry by entry).
  it('boots, and the guest’s sshd lets the wizard’s guest key in as root', async () => {
    const user = await ensureKeyUser('fdwiz-boot');
    await removeVmsOf(user);
    await rm(`/home/${user}/.firedeck`, { recursive: true, force: true });
    host = await startTestHost({ address: '127.0.0.165', users: [user] });
    t = await startTestCore();
    await t.call('settings.update', { firecrackerReleaseBaseUrl: mirror.releaseBaseUrl, imageBaseUrl: mirror.imageBaseUrl });
    const hostId = await connectTestHost(t, host, { user });
    const report = await t.call('wizard.run', { hostId, kernelKey: `${PREFIX}/${REAL_GUEST_KERNEL}`, rootfsKey: `${PREFIX}/${REAL_GUEST_ROOTFS}` });
    expect(report.steps.find((s) => s.status === 'failed')).toBeUndefined();
    expect(report.steps.find((s) => s.name === 'images.install')?.detail).toContain('fakeroot');

    // Boot a copy (the image stays as the wizard left it) with the emulator's real guest.
    copyFileSync(report.installed!.rootfs, join(work, 'rootfs.ext4'));
    copyFileSync(report.installed!.kernel, join(work, 'vmlinux'));
    const netns = `fdwb-${process.pid}`;
    const inNs = (...args: string[]) => execFileSync('ip', ['netns', 'exec', netns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    execFileSync('ip', ['netns', 'add', netns]);
    const fifoPath = join(work, 'console.in');
    execFileSync('mkfifo', [fifoPath]);
    const fifo = openSync(fifoPath, 'r+');
    const sock = join(work, 'api.sock');
    let out = '';
    const emu = spawn('ip', ['netns', 'exec', netns, emulatorPath, '--api-sock', sock, '--id', 'wizard-boot'], { cwd: work, stdio: [fifo, 'pipe', 'pipe'] });
    emu.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const exited = new Promise((resolve) => emu.once('exit', resolve));
    const until = async (check: () => boolean, ms: number, what: string) => {
      const deadline = Date.now() + ms;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms; console:\n${out.slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const put = (path: string, body: unknown) => execFileSync('curl', ['-sf', '--unix-socket', sock, '-X', 'PUT', `http://localhost${path}`, '-H', 'Content-Type: application/json', '-d', JSON.stringify(body)]);
    try {
      inNs('ip', 'link', 'set', 'lo', 'up');
      inNs('ip', 'tuntap', 'add', 'dev', 'tap-wizard', 'mode', 'tap');
      inNs('ip', 'addr', 'add', '169.254.78.1/30', 'dev', 'tap-wizard');
      inNs('ip', 'link', 'set', 'tap-wizard', 'up');
      await until(() => {
        try {
          execFileSync('curl', ['-sf', '--unix-socket', sock, 'http://localhost/'], { stdio: 'ignore' });
          return true;
        } catch {
          return false;
        }
      }, 15_000, 'API socket');
      put('/boot-source', { kernel_image_path: join(work, 'vmlinux'), boot_args: BOOT_ARGS });
      put('/drives/rootfs', { drive_id: 'rootfs', path_on_host: 'rootfs.ext4', is_root_device: true, is_read_only: false });
      put('/network-interfaces/eth0', { iface_id: 'eth0', host_dev_name: 'tap-wizard', guest_mac: '06:00:A9:FE:4E:02' });
      put('/machine-config', { vcpu_count: 1, mem_size_mib: 256 });
      put('/actions', { action_type: 'InstanceStart' });
      await until(() => out.includes('firedeck-guest: sshd started'), 300_000, 'sshd in the guest');
      const ssh = inNs('ssh', '-i', join(t.dataDir, 'guest-keys', 'id_ed25519'), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
        '-o', 'ConnectTimeout=60', '-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=8', 'root@169.254.78.2', 'id -u; stat -c "%u %a" /root/.ssh /root/.ssh/authorized_keys; stat -c "%u %a" /usr/bin/sudo 2>/dev/null || true');
      expect(ssh).toMatch(/^0\n0 700\n0 600\n/);
    } finally {
      emu.kill('SIGKILL');
      await exited;
      closeSync(fifo);
      execFileSync('ip', ['netns', 'del', netns]);
    }
  }, 1_200_000);
});
