import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { detectKernelArch } from '../../../electron/images/kernel-arch';
import { fetchCatalog } from '../../../electron/images/catalog';
import { ensureRealGuest } from '../../support/real-guest';
import type { RealGuest } from '../../support/real-guest';
import { REAL_GUEST_KERNEL, REAL_GUEST_ROOTFS, startTestMirror } from '../../support/test-mirror';
import { emulatorPath } from '../../support/vm-fixtures';

/*
 * The real guest behind the emulator: Debian's cloud kernel and a Debian root filesystem under
 * QEMU, driven only through the emulator's Firecracker API and its serial console (the process's
 * stdin and stdout). No Firedeck code is involved. Building the guest needs root (it runs
 * mmdebstrap; the first run on a machine takes about a minute, later runs use the cache).
 */

const isRoot = process.getuid?.() === 0;
const BOOT_ARGS = 'console=ttyS0 reboot=k panic=1 pci=off';
const BOOT_MS = 150_000;
const PROMPT = 'root@firedeck-guest:~# ';

interface Emulator {
  proc: ChildProcess;
  console: () => string;
  type: (text: string) => void;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  api: (method: 'GET' | 'PUT' | 'PATCH', path: string, body?: unknown) => Promise<{ status: number; text: string }>;
}

let guest: RealGuest;
let dir = '';
const running: { emu: Emulator; agent: Agent; fifo: number }[] = [];

beforeAll(async () => {
  if (!isRoot) return;
  guest = await ensureRealGuest();
  if (guest.buildSeconds > 0) console.log(`real guest built in ${guest.buildSeconds} s`);
}, 1_800_000);

afterEach(async () => {
  for (const { emu, agent, fifo } of running.splice(0)) {
    if (emu.proc.exitCode === null && emu.proc.signalCode === null) emu.proc.kill('SIGKILL');
    await emu.exit;
    await agent.close();
    closeSync(fifo);
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function waitFor(check: () => boolean, ms: number, what: string, emu?: Emulator): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${emu ? `; console so far:\n${emu.console().slice(-2000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts the emulator in `cwd` with a FIFO as its stdin (the console input) and waits for its API;
 * inside network namespace `netns` when given.
 */
async function startEmulator(cwd: string, name: string, netns?: string): Promise<Emulator> {
  const fifoPath = join(cwd, `${name}.console.in`);
  execFileSync('mkfifo', [fifoPath]);
  const fifo = openSync(fifoPath, 'r+');
  const sock = join(cwd, `${name}.sock`);
  const command = [emulatorPath, '--api-sock', sock, '--id', name];
  const proc = netns ? spawn('ip', ['netns', 'exec', netns, ...command], { cwd, stdio: [fifo, 'pipe', 'pipe'] }) : spawn(command[0]!, command.slice(1), { cwd, stdio: [fifo, 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const agent = new Agent({ connect: { socketPath: sock } });
  const emu: Emulator = {
    proc,
    console: () => out,
    type: (text) => void writeSync(fifo, text),
    exit,
    async api(method, path, body) {
      const res = await request(`http://localhost${path}`, { method, dispatcher: agent, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.statusCode, text: await res.body.text() };
    },
  };
  running.push({ emu, agent, fifo });
  await waitFor(() => out.includes('API server started.') || proc.exitCode !== null, 10_000, 'the API server', emu);
  expect(proc.exitCode).toBeNull();
  return emu;
}

async function ok(emu: Emulator, method: 'PUT' | 'PATCH', path: string, body: unknown): Promise<void> {
  const r = await emu.api(method, path, body);
  expect(r.status, `${method} ${path}: ${r.text}`).toBe(204);
}

async function bootGuest(emu: Emulator, rootfs: string, bootArgs = BOOT_ARGS): Promise<void> {
  await ok(emu, 'PUT', '/boot-source', { kernel_image_path: guest.kernelPath, boot_args: bootArgs });
  await ok(emu, 'PUT', '/drives/rootfs', { drive_id: 'rootfs', path_on_host: rootfs, is_root_device: true, is_read_only: false });
  await ok(emu, 'PUT', '/machine-config', { vcpu_count: 1, mem_size_mib: 256 });
  await ok(emu, 'PUT', '/actions', { action_type: 'InstanceStart' });
}

/** Logs in as root on the console (root has no password on the console; SSH wants a key). */
async function login(emu: Emulator): Promise<void> {
  await waitFor(() => emu.console().includes('firedeck-guest login: '), BOOT_MS, 'the login prompt', emu);
  emu.type('root\n');
  await waitFor(() => emu.console().includes(PROMPT), 30_000, 'the root shell prompt', emu);
}

/** Runs a shell command on the console and waits for a marker printed after it. */
async function shell(emu: Emulator, command: string, marker: string): Promise<void> {
  emu.type(`${command}; echo "${marker}-$((40 + 2))"\n`);
  await waitFor(() => emu.console().includes(`${marker}-42`), 30_000, `"${command}"`, emu);
}

function debugfs(image: string, request: string): string {
  return execFileSync('debugfs', ['-R', request, image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/**
 * A file of an ext4 image in use by a running guest, as its kernel sees it: debugfs reads metadata
 * where it finally lives, not from the journal, so it reads a sparse copy whose journal e2fsck
 * replayed (the image itself is the guest's to write).
 */
function catReplayed(image: string, path: string): string {
  const copy = `${image}.replayed`;
  try {
    execFileSync('cp', ['--sparse=always', image, copy]);
    // Exit 1 says the journal was replayed; only what debugfs then reads is asserted.
    spawnSync('e2fsck', ['-y', '-E', 'journal_only', copy], { stdio: 'ignore' });
    return debugfs(copy, `cat ${path}`);
  } finally {
    rmSync(copy, { force: true });
  }
}

function workDir(): string {
  dir ||= mkdtempSync(join(tmpdir(), 'firedeck-real-guest-'));
  return mkdtempSync(join(dir, 'vm-'));
}

describe.skipIf(!isRoot)('a real Linux guest behind the Firecracker API emulator', () => {
  it('boots to a login prompt with sshd started, writes its disk, pauses and resumes, and ends on Ctrl+Alt+Del with exit 0', async () => {
    const cwd = workDir();
    const rootfs = await guest.ext4For(cwd);
    const emu = await startEmulator(cwd, 'vm-a');
    const t0 = Date.now();
    await bootGuest(emu, rootfs);
    await waitFor(() => emu.console().includes('firedeck-guest: sshd started'), BOOT_MS, 'sshd in the guest', emu);
    const sshdMs = Date.now() - t0;
    await waitFor(() => emu.console().includes('firedeck-guest login: '), BOOT_MS, 'the login prompt', emu);
    console.log(`real guest: InstanceStart to sshd ${sshdMs} ms, to the login prompt ${Date.now() - t0} ms`);
    expect(emu.console()).toContain('Linux version');
    expect(emu.console()).toContain(`Command line: ${BOOT_ARGS} root=/dev/vda rw`);

    await login(emu);
    await shell(emu, 'echo written-by-the-guest > /root/proof && sync', 'synced');
    expect(debugfs(rootfs, 'cat /root/proof')).toBe('written-by-the-guest\n');

    await ok(emu, 'PATCH', '/vm', { state: 'Paused' });
    expect(JSON.parse((await emu.api('GET', '/')).text)).toMatchObject({ state: 'Paused' });
    await ok(emu, 'PATCH', '/vm', { state: 'Resumed' });
    await shell(emu, 'uname -r', 'after-resume');
    expect(emu.console()).toContain(guest.kernelRelease);

    await ok(emu, 'PUT', '/actions', { action_type: 'SendCtrlAltDel' });
    const tCad = Date.now();
    expect(await emu.exit).toEqual({ code: 0, signal: null });
    console.log(`real guest: SendCtrlAltDel to process exit ${Date.now() - tCad} ms`);
    expect(emu.console()).toContain('reboot: Restarting system');
    expect(emu.console()).toContain('Firecracker exiting successfully. exit_code=0');
    // The guest shut down cleanly: its disk needs no repair.
    execFileSync('e2fsck', ['-fn', rootfs], { stdio: 'ignore' });
  }, 300_000);

  it('keeps the guest memory through a snapshot loaded into a new process with a copy of the disk', async () => {
    const cwdA = workDir();
    const rootfs = await guest.ext4For(cwdA);
    const source = await startEmulator(cwdA, 'vm-src');
    // Relative, as Firedeck gives drives: they resolve against the emulator's cwd, as Firecracker's do.
    await bootGuest(source, 'rootfs.ext4');
    await login(source);
    // A shell variable and a file in /tmp (a tmpfs): both exist only in the guest's memory.
    await shell(source, 'X=kept-in-memory; echo "$X" > /tmp/only-in-ram', 'set');

    await ok(source, 'PATCH', '/vm', { state: 'Paused' });
    // Typed while paused: no vCPU runs, so not even its echo may come out of this process.
    source.type('echo typed-while-paused\n');
    const t0 = Date.now();
    await ok(source, 'PUT', '/snapshot/create', { snapshot_path: 'snap.state', mem_file_path: 'snap.mem' });
    const snapshotMs = Date.now() - t0;
    const cwdB = workDir();
    // Firecracker's drives resolve against its cwd: the clone gets its own disk under the same relative name.
    copyFileSync(rootfs, join(cwdB, 'rootfs.ext4'));
    copyFileSync(join(cwdA, 'snap.state'), join(cwdB, 'snap.state'));
    copyFileSync(join(cwdA, 'snap.mem'), join(cwdB, 'snap.mem'));
    source.proc.kill('SIGKILL');
    await source.exit;
    expect(source.console()).not.toContain('typed-while-paused');

    const clone = await startEmulator(cwdB, 'vm-clone');
    const t1 = Date.now();
    await ok(clone, 'PUT', '/snapshot/load', { snapshot_path: 'snap.state', mem_backend: { backend_type: 'File', backend_path: 'snap.mem' } });
    const loadMs = Date.now() - t1;
    expect(JSON.parse((await clone.api('GET', '/')).text)).toMatchObject({ state: 'Paused' });
    const config = JSON.parse((await clone.api('GET', '/vm/config')).text) as { drives: { path_on_host: string }[] };
    expect(config.drives[0]?.path_on_host).toBe('rootfs.ext4');
    await ok(clone, 'PATCH', '/vm', { state: 'Resumed' });
    // The UART's receive FIFO (device state, so in the snapshot) may hold the start of what was
    // typed while paused: Ctrl+C drops that partial line.
    const before = clone.console().length;
    clone.type('\x03');
    await waitFor(() => clone.console().slice(before).includes(PROMPT), 30_000, 'a fresh prompt after Ctrl+C', clone);
    await shell(clone, 'echo "x=$X"; cat /tmp/only-in-ram', 'restored');
    expect(clone.console()).toContain('x=kept-in-memory\r\nkept-in-memory\r\n');
    console.log(`real guest: snapshot create ${snapshotMs} ms, load ${loadMs} ms`);

    // The clone writes its own disk, not the source's.
    await shell(clone, 'echo clone > /root/whoami && sync', 'synced');
    // The guest's sync returns once QEMU took the flush; under load its write to the file may land
    // a moment later, and the running guest's metadata may still sit in its journal.
    const cloneDisk = () => catReplayed(join(cwdB, 'rootfs.ext4'), '/root/whoami');
    for (let i = 0; i < 40 && cloneDisk() !== 'clone\n'; i++) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(cloneDisk()).toBe('clone\n');
    expect(debugfs(rootfs, 'cat /root/whoami')).not.toBe('clone\n');
  }, 300_000);

  it('gives a kernel that passes Firedeck\'s header check, and a root filesystem whose owners, modes and setuid bits survive into the ext4', async () => {
    const header = Buffer.alloc(64);
    const fd = openSync(guest.kernelPath, 'r');
    readSync(fd, header, 0, 64, 0);
    closeSync(fd);
    expect(detectKernelArch(header)).toEqual({ arch: 'x86_64', format: 'elf' });
    const cwd = workDir();
    const rootfs = await guest.ext4For(cwd, { authorizedKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx0R2K6vbCBgUDzZ0L6N0bU9mJjI0OZ0TzVb4n1lK3q test@firedeck' });
    expect(debugfs(rootfs, 'stat /usr/bin/sudo')).toMatch(/Mode:\s+04755/);
    expect(debugfs(rootfs, 'stat /home/guest')).toMatch(/User:\s+1000\s+Group:\s+1000/);
    const key = debugfs(rootfs, 'stat /root/.ssh/authorized_keys');
    expect(key).toMatch(/Mode:\s+0600/);
    expect(key).toMatch(/User:\s+0\s+Group:\s+0\s/);
    expect(debugfs(rootfs, 'stat /root/.ssh')).toMatch(/Mode:\s+0700/);
    expect(debugfs(rootfs, 'stat /root/.ssh')).toMatch(/User:\s+0\s+Group:\s+0\s/);
    // The copy is the image it was made from, plus the key: a clean filesystem.
    execFileSync('e2fsck', ['-fn', rootfs], { stdio: 'ignore' });
    expect(debugfs(rootfs, 'cat /root/.ssh/authorized_keys')).toContain('test@firedeck');
  });

  it('puts the guest on the tap of its network interface, with the address and DNS of `ip=`, and its sshd takes the key of the image', async () => {
    const cwd = workDir();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'real-guest-test', '-f', join(cwd, 'key')]);
    const rootfs = await guest.ext4For(cwd, { authorizedKey: readFileSync(join(cwd, 'key.pub'), 'utf8') });
    // A namespace of this test's own: the tap and every packet stay inside it. Link-local addresses.
    const netns = `fdrg-${process.pid}`;
    const inNs = (...args: string[]) => execFileSync('ip', ['netns', 'exec', netns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    execFileSync('ip', ['netns', 'add', netns]);
    try {
      inNs('ip', 'link', 'set', 'lo', 'up');
      inNs('ip', 'tuntap', 'add', 'dev', 'tap-guest', 'mode', 'tap');
      inNs('ip', 'addr', 'add', '169.254.77.1/30', 'dev', 'tap-guest');
      inNs('ip', 'link', 'set', 'tap-guest', 'up');
      const emu = await startEmulator(cwd, 'vm-net', netns);
      await ok(emu, 'PUT', '/network-interfaces/eth0', { iface_id: 'eth0', host_dev_name: 'tap-guest', guest_mac: '06:00:A9:FE:4D:02' });
      await bootGuest(emu, rootfs, `${BOOT_ARGS} ip=169.254.77.2::169.254.77.1:255.255.255.252::eth0:off:169.254.77.1`);
      await waitFor(() => emu.console().includes('firedeck-guest: sshd started'), BOOT_MS, 'sshd in the guest', emu);
      const ssh = inNs('ssh', '-i', join(cwd, 'key'), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=30',
        'root@169.254.77.2', 'id -u; cat /etc/resolv.conf; ip -o link show eth0; ip route show default');
      expect(ssh).toMatch(/^0\n/);
      expect(ssh).toContain('nameserver 169.254.77.1');
      expect(ssh).toContain('link/ether 06:00:a9:fe:4d:02');
      expect(ssh).toContain('default via 169.254.77.1 dev eth0');
    } finally {
      for (const { emu } of running) emu.proc.kill('SIGKILL');
      await Promise.all(running.map(({ emu }) => emu.exit));
      execFileSync('ip', ['netns', 'del', netns]);
    }
  }, 300_000);

  it('is listed by the test mirror, under CI bucket names, only for suites that ask for it', async () => {
    const plain = await startTestMirror();
    const withGuest = await startTestMirror({ realGuest: true });
    try {
      const names = async (imageBaseUrl: string) =>
        (await fetchCatalog({ imageBaseUrl, version: 'v1.12.0', hostArch: 'x86_64', fetch })).filter((i) => i.arch === 'x86_64').map((i) => i.name);
      expect(await names(plain.imageBaseUrl)).not.toContain(REAL_GUEST_KERNEL);
      expect(await names(withGuest.imageBaseUrl)).toEqual(expect.arrayContaining([REAL_GUEST_KERNEL, REAL_GUEST_ROOTFS, 'vmlinux-6.1.102', 'ubuntu-22.04.squashfs']));
      const served = Buffer.from(await (await fetch(`${withGuest.imageBaseUrl}/firecracker-ci/v1.12/x86_64/${REAL_GUEST_ROOTFS}`)).arrayBuffer());
      expect(served.equals(readFileSync(guest.rootfsSquashfsPath))).toBe(true);
    } finally {
      await plain.stop();
      await withGuest.stop();
    }
  });
});
