import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vmDiskCreateSource from '../electron/host-scripts/vm-disk-create.sh';
import { withArguments } from '../electron/ssh/host-script';
import { ensureRealGuest } from '../test/support/real-guest';
import { ensureKeyUser, startTestHost } from '../test/support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../test/support/test-core';
import { emulatorPath, installFirecrackerFor, removeVmsOf } from '../test/support/vm-fixtures';
import { bestSeconds } from './harness';
import type { BenchResult } from './harness';

const GiB = 1024 ** 3;

/** Whether `dir`'s filesystem makes reflinks (btrfs, xfs): then a VM's disk copy is instant. */
function offersReflink(dir: string): boolean {
  const a = join(dir, 'reflink-probe');
  writeFileSync(a, 'x');
  try {
    execFileSync('cp', ['--reflink=always', a, `${a}.copy`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(a, { force: true });
    rmSync(`${a}.copy`, { force: true });
  }
}

/**
 * A VM's own disk from a 1 GiB image (a real Debian ext4, mostly empty as images are): the copy
 * vm-disk-create.sh makes (`cp --reflink=auto --sparse=always`), and the whole script (its
 * SHA-256 check of the image first), each against a plain `cp` of the same file in the same run.
 */
export async function benchDiskCopy(): Promise<BenchResult[]> {
  const guest = await ensureRealGuest();
  const dir = mkdtempSync(join(tmpdir(), 'firedeck-bench-disk-'));
  try {
    const image = await guest.ext4For(dir, { name: 'image.ext4', sizeMiB: 1024 });
    const run = join(dir, 'vm');
    mkdirSync(run);
    const reflink = offersReflink(dir);
    // Read once so that every variant starts from a warm page cache.
    readFileSync(image);
    const plain = await bestSeconds(async () => {
      execFileSync('cp', [image, join(dir, 'plain.ext4')]);
      rmSync(join(dir, 'plain.ext4'));
    });
    const copy = await bestSeconds(async () => {
      execFileSync('cp', ['--reflink=auto', '--sparse=always', image, join(run, 'rootfs.ext4')]);
      rmSync(join(run, 'rootfs.ext4'));
    });
    const script = await bestSeconds(async () => {
      execFileSync('dash', ['-c', withArguments(vmDiskCreateSource, [run, image, 0])], { stdio: 'ignore' });
      rmSync(join(run, 'rootfs.ext4'));
    });
    const used = Number(execFileSync('du', ['-k', image], { encoding: 'utf8' }).split('\t')[0]) * 1024;
    const how = reflink ? 'reflink (the filesystem offers it)' : `sparse copy (no reflink on this filesystem; the image holds ${(used / 1024 ** 2).toFixed(0)} MiB of data in ${GiB / 1024 ** 2} MiB)`;
    return [
      { name: 'VM disk from a 1 GiB image: cp --reflink=auto --sparse=always', unit: 's', value: copy, baseline: plain, ratio: copy / plain, target: '<= 1.0', note: `${how}; baseline: plain cp of the same file` },
      { name: 'VM disk from a 1 GiB image: vm-disk-create.sh (SHA-256 check + copy)', unit: 's', value: script, baseline: plain, ratio: script / plain, note: 'the checksum reads the whole image once; baseline: plain cp of the same file' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BOOT_ARGS = 'console=ttyS0 reboot=k panic=1 pci=off';

/** The emulator booting the real guest straight from its API socket, no SSH, no copy: spawn → `login:`. */
async function directBootSeconds(image: string, dir: string): Promise<number> {
  const fifoPath = join(dir, 'console.in');
  rmSync(fifoPath, { force: true });
  execFileSync('mkfifo', [fifoPath]);
  const fifo = openSync(fifoPath, 'r+');
  const sock = join(dir, 'api.sock');
  rmSync(sock, { force: true });
  const start = performance.now();
  const proc = spawn(emulatorPath, ['--api-sock', sock, '--id', 'bench-direct'], { cwd: dir, stdio: [fifo, 'pipe', 'ignore'] });
  let out = '';
  const login = new Promise<void>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (out.includes('login: ')) resolve();
    });
    proc.once('exit', () => reject(new Error(`the direct boot ended before its login prompt:\n${out.slice(-1000)}`)));
  });
  const api = (path: string, body: unknown) => execFileSync('curl', ['-sf', '--unix-socket', sock, '-X', 'PUT', `http://localhost${path}`, '-H', 'Content-Type: application/json', '-d', JSON.stringify(body)]);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      execFileSync('curl', ['-sf', '--unix-socket', sock, 'http://localhost/'], { stdio: 'ignore' });
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('the emulator opened no API socket');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  api('/boot-source', { kernel_image_path: join(dir, 'vmlinux'), boot_args: BOOT_ARGS });
  api('/drives/rootfs', { drive_id: 'rootfs', path_on_host: image, is_root_device: true, is_read_only: false });
  api('/machine-config', { vcpu_count: 1, mem_size_mib: 256 });
  api('/actions', { action_type: 'InstanceStart' });
  try {
    await Promise.race([login, new Promise((_, reject) => setTimeout(() => reject(new Error('no login prompt within 300 s')), 300_000))]);
    return (performance.now() - start) / 1000;
  } finally {
    proc.kill('SIGKILL');
    closeSync(fifo);
  }
}

/**
 * Create → the guest's `login:` prompt on the console, through the app over SSH, split into the
 * app's own time (the Create request: checks, run directory, disk copy, Firecracker start and
 * configuration, until InstanceStart is answered) and the guest's (InstanceStart → login prompt),
 * against the same real guest booted straight by the emulator (no SSH, no disk copy) in the same run.
 */
export async function benchCreateToShell(): Promise<BenchResult[]> {
  const user = await ensureKeyUser('fdbench-disk');
  const images = await installFirecrackerFor(user);
  const guest = await ensureRealGuest();
  copyFileSync(guest.kernelPath, images.kernel);
  const image = await guest.ext4For(`/home/${user}/.firedeck/images/x86_64`, { name: 'rootfs-debian.ext4', sizeMiB: 1024 });
  writeFileSync(`${image}.sha256`, `${createHash('sha256').update(readFileSync(image)).digest('hex')}\n`);
  execFileSync('chown', ['-R', `${user}:${user}`, `/home/${user}/.firedeck`]);
  const direct = mkdtempSync(join(tmpdir(), 'firedeck-bench-boot-'));
  copyFileSync(guest.kernelPath, join(direct, 'vmlinux'));
  const host = await startTestHost({ address: '127.0.0.36', users: [user] });
  const t = await startTestCore();
  try {
    const hostId = await connectTestHost(t, host, { user });
    const app: number[] = [];
    const total: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < 3; i++) {
      const directImage = join(direct, 'rootfs.ext4');
      copyFileSync(image, directImage);
      baseline.push(await directBootSeconds(directImage, direct));
      const id = `bench-boot-${i}`;
      let console = '';
      let sessionId = '';
      const off = t.core.events.subscribe((name, payload) => {
        if (name === 'vms.consoleOutput' && (payload as { sessionId: string }).sessionId === sessionId) console += (payload as { data: string }).data;
      });
      const start = performance.now();
      await t.call('vms.create', { hostId, id, vcpus: 1, memoryMib: 256, kernel: images.kernel, rootfs: image });
      app.push((performance.now() - start) / 1000);
      sessionId = (await t.call('vms.consoleOpen', { hostId, id })).sessionId;
      const deadline = Date.now() + 300_000;
      while (!console.includes('login: ')) {
        if (Date.now() > deadline) throw new Error(`${id}: no login prompt within 300 s`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      total.push((performance.now() - start) / 1000);
      off();
      await t.call('vms.consoleClose', { sessionId });
      await t.call('vms.kill', { hostId, id });
      await t.call('vms.delete', { hostId, id });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
    const [a, all, base] = [median(app), median(total), median(baseline)];
    return [
      { name: 'Create → guest login prompt (real guest, over SSH)', unit: 's', value: all, baseline: base, ratio: all / base, note: `median of 3: app ${a.toFixed(2)} s (Create until InstanceStart, incl. the 1 GiB disk copy), guest ${(all - a).toFixed(2)} s (InstanceStart → login prompt); baseline: the emulator booting the same guest straight from its socket` },
      { name: 'Create → guest login prompt: the app’s own part', unit: 's', value: a, baseline: base, ratio: a / base, note: 'the Create request alone, against the direct boot’s total' },
    ];
  } finally {
    await t.close();
    await host.stop();
    await removeVmsOf(user);
    rmSync(direct, { recursive: true, force: true });
  }
}
