/**
 * Into the real test guest (Debian under QEMU, booted by the emulator inside the VM's network
 * namespace) as the app does it: default network, the app's own resolver (the VM's pool address
 * from its host), root with the wizard's guest key in the root filesystem. A terminal runs
 * `uname -a`, a command streams its output and exit code, a workspace folder is synced in and a
 * changed file alone is sent again, and the guest's HTTP server on port 8000 answers on
 * 127.0.0.1:PORT here.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmod, copyFile, mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestPublicKey } from '../../../../electron/wizard/guest-key';
import { startNetnsRig } from '../../../support/netns-hosts';
import type { NetnsRig } from '../../../support/netns-hosts';
import { ensureRealGuest } from '../../../support/real-guest';
import { ensureKeyUser } from '../../../support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';
import { installFirecrackerFor, removeVmsOf } from '../../../support/vm-fixtures';

const BOOT_MS = 300_000;
let rig: NetnsRig;
let t: TestCore;
let user: string;
let hostId: string;
const vm = () => ({ hostId, id: 'real-g' });

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Runs a command in the guest and returns its output and exit code. */
async function exec(command: string): Promise<{ out: string; exitCode: number | null }> {
  const execId = randomUUID();
  let out = '';
  const off = t.core.events.subscribe((event, payload) => {
    const p = payload as { execId?: string; stream?: string; data?: string };
    if (event === 'guest.execOutput' && p.execId === execId && p.stream === 'stdout') out += p.data;
  });
  const exited = t.nextEvent('guest.execExited', (e) => e.execId === execId, 60_000);
  await t.call('guest.exec', { ...vm(), execId, command });
  const { exitCode } = await exited;
  off();
  return { out, exitCode };
}

beforeAll(async () => {
  user = await ensureKeyUser('fdguest-real');
  const guest = await ensureRealGuest();
  rig = await startNetnsRig('grl', { address: '127.0.0.238', users: [user], privateDirs: ['/usr/local', '/etc/sudoers.d', '/var/log'] });
  await rig.host.root(['tee', '/etc/sudoers.d/fdtest-grants'], `${user} ALL=(ALL) NOPASSWD: ALL\n`);
  await rig.host.root(['chmod', '0440', '/etc/sudoers.d/fdtest-grants']);
  await installFirecrackerFor(user);
  t = await startTestCore({ vmStopTimeoutMs: 3_000 });
  const images = `/home/${user}/.firedeck/images/x86_64`;
  const kernel = `${images}/vmlinux-6.1.999-guest`;
  await copyFile(guest.kernelPath, kernel);
  // The root filesystem carries the wizard's guest key for root, as Set up host builds it.
  const rootfs = await guest.ext4For(images, { name: 'rootfs-real-g.ext4', authorizedKey: await guestPublicKey(t.dataDir) });
  await chmod(rootfs, 0o644);
  execFileSync('chown', ['-R', `${user}:${user}`, `/home/${user}/.firedeck`]);
  hostId = await connectTestHost(t, rig.host, { user, label: 'real guest host' });
  await t.call('network.install', { hostId });
  await t.call('vms.create', { hostId, id: 'real-g', vcpus: 1, memoryMib: 256, kernel, rootfs });
  const began = performance.now();
  await until(async () => (await t.call('guest.status', vm())).state === 'up', BOOT_MS, 'the guest’s sshd');
  console.log(`the guest's sshd answered ${Math.round(performance.now() - began)} ms after vms.create returned`);
}, 1_800_000);

afterAll(async () => {
  if (t && hostId) await t.call('vms.delete', vm()).catch(() => {});
  await t?.close();
  if (user) await removeVmsOf(user);
  await rig?.stop();
});

describe('the real guest', () => {
  it('runs uname -a in a terminal and streams a command’s output and exit code', async () => {
    const { sessionId } = await t.call('guest.terminalOpen', { ...vm(), cols: 100, rows: 30 });
    let seen = '';
    const shown = new Promise<void>((resolve) => {
      const off = t.core.events.subscribe((event, payload) => {
        const p = payload as { sessionId?: string; data?: string };
        if (event !== 'guest.terminalOutput' || p.sessionId !== sessionId) return;
        seen += p.data;
        if (/Linux firedeck-guest \S+ #/.test(seen)) {
          off();
          resolve();
        }
      });
    });
    await t.call('guest.terminalInput', { sessionId, data: 'uname -a\n' });
    await shown;
    await t.call('guest.terminalClose', { sessionId });
    expect(await exec('id -un; echo to-stderr >&2; exit 5')).toEqual({ out: 'root\n', exitCode: 5 });
  }, 120_000);

  it('syncs a workspace folder in and sends a changed file alone again', async () => {
    await t.call('workspaces.create', { id: 'real-g' });
    const dir = join(t.dataDir, 'workspaces', 'real-g', 'app');
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < 10; i++) await writeFile(join(dir, `f${i}.txt`), `file ${i}\n`);
    const sync = () => t.call('guest.sync', { ...vm(), workspaceId: 'real-g', path: 'app', guestDir: '/root/app', transferId: randomUUID() });
    expect((await sync()).sent).toHaveLength(10);
    await writeFile(join(dir, 'f3.txt'), 'file 3, changed\n');
    const info = await stat(join(dir, 'f3.txt'));
    await utimes(join(dir, 'f3.txt'), info.atime, new Date(info.mtimeMs + 5_000));
    expect((await sync()).sent).toEqual(['f3.txt']);
    expect((await exec('cat /root/app/f3.txt')).out).toBe('file 3, changed\n');
  }, 120_000);

  it('deletes the 200 files only the real guest has, after a preview, and keeps a link’s target', async () => {
    const dir = join(t.dataDir, 'workspaces', 'real-g', 'mirror');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'kept.txt'), 'kept\n');
    const folders = { ...vm(), workspaceId: 'real-g', path: 'mirror', guestDir: '/root/mirror' };
    const made = await exec('mkdir -p /root/mirror/old /root/outside && echo keep > /root/outside/secret && ln -s /root/outside /root/mirror/out && i=0; while [ $i -lt 200 ]; do echo x > /root/mirror/old/f$i; i=$((i+1)); done');
    expect(made.exitCode).toBe(0);
    const preview = await t.call('guest.syncPreview', folders);
    expect(preview.toDelete).toHaveLength(200);
    const started = performance.now();
    const done = await t.call('guest.sync', { ...folders, transferId: randomUUID(), deleteExtraneous: true, planId: preview.planId });
    const withDelete = (performance.now() - started) / 1000;
    // The same sync with nothing to send or delete: what the deletion itself added is the difference.
    const again = performance.now();
    expect((await t.call('guest.sync', { ...folders, transferId: randomUUID() })).sent).toEqual([]);
    const plain = (performance.now() - again) / 1000;
    console.log(`real guest sync --delete: ${done.deleted} files deleted, sync with deletion ${withDelete.toFixed(2)} s, the same sync with nothing to do ${plain.toFixed(2)} s`);
    expect(done).toMatchObject({ sent: ['kept.txt'], deleted: 200, skipped: 0 });
    expect((await exec('cd /root/mirror && find . ! -type d | sort; cat /root/outside/secret; rm -rf /root/mirror /root/outside')).out).toBe('./kept.txt\n./out\nkeep\n');
  }, 120_000);

  it('is reached by plain OpenSSH with the ssh command the app shows (ProxyJump through the host)', async () => {
    const shown = await t.call('guest.sshCommand', vm());
    expect(shown.spelledOut).toMatch(/ -J .* root@10\.231\.0\.\d+$/);
    const out = execFileSync('ssh', ['-F', shown.configPath, '-o', 'BatchMode=yes', shown.alias, 'uname -n; id -un'], { encoding: 'utf8', timeout: 60_000 });
    expect(out).toBe('firedeck-guest\nroot\n');
  }, 120_000);

  it('forwards the guest’s HTTP server on port 8000 to 127.0.0.1:PORT here', async () => {
    await exec('mkdir -p /tmp/www && echo served-by-the-real-guest > /tmp/www/index.html && (busybox httpd -p 127.0.0.1:8000 -h /tmp/www &)');
    await until(async () => (await t.call('guest.listeningPorts', vm())).some((p) => p.port === 8000), 30_000, 'port 8000 in the guest');
    const localPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const forward = await t.call('guest.forwardAdd', { ...vm(), guestPort: 8000, localPort });
    expect(await (await fetch(forward.url)).text()).toBe('served-by-the-real-guest\n');
  }, 120_000);
});
