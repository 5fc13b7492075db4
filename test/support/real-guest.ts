/**
 * A real Linux guest for the test rig, built from Debian packages at test setup and cached on the
 * machine between runs (see guest/build-guest.sh for the recipe):
 *
 * - a test kernel file (Debian's cloud kernel and a busybox initramfs behind an x86_64 ELF header;
 *   see firecracker-emulator/test-kernel.ts), which the emulator boots under QEMU;
 * - a Debian bookworm root filesystem squashfs with openssh-server, sudo, a getty on ttyS0 and a
 *   user `guest`, which tests (or the setup wizard, as on a real host) turn into an ext4.
 *
 * The cache lives in /var/cache/firedeck-test-guest/<hash of the recipe>/ (world-readable, so the
 * test users' processes can read it); FIREDECK_TEST_GUEST_CACHE moves it. A machine that has never
 * built it builds it once (about a minute), under a lock, so concurrent test processes wait for one
 * build instead of making two.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packTestKernel } from './firecracker-emulator/test-kernel';

/** test/support, found by walking up from this module: the benchmarks bundle it into dist/. */
const here = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'test', 'support', 'guest'))) return join(dir, 'test', 'support');
  }
  throw new Error('test/support/guest not found above this module');
})();
const recipeDir = join(here, 'guest');
const cacheRoot = process.env.FIREDECK_TEST_GUEST_CACHE ?? '/var/cache/firedeck-test-guest';
/** How long a test process waits for another one's build before giving up. */
const LOCK_WAIT_S = 1800;
const BASE_EXT4 = 'rootfs.ext4';
const BASE_EXT4_MIB = 1024;
/** Builds of other recipes older than this are removed when a new one is built. */
const STALE_BUILD_MS = 7 * 24 * 3600_000;

export interface Ext4Options {
  /** A public key line for /root/.ssh/authorized_keys (owned by root, mode 600). */
  authorizedKey?: string;
  /** The image's size (sparse); default 1024 MiB. */
  sizeMiB?: number;
  /** The file name inside `dir`; default rootfs.ext4. */
  name?: string;
}

export interface RealGuest {
  /** The test kernel file: give it to the emulator (or Firedeck) as the kernel. */
  kernelPath: string;
  /** The Debian root filesystem, read-only, as a CI bucket would serve it. */
  rootfsSquashfsPath: string;
  /** `uname -r` of the guest kernel. */
  kernelRelease: string;
  /** How long the build took on this machine, in seconds (0 when it came from the cache). */
  buildSeconds: number;
  /** A writable ext4 made from the squashfs in `dir` (root-owned files keep their owners). Needs root. */
  ext4For(dir: string, options?: Ext4Options): Promise<string>;
}

function recipeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? recipeFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** A digest of everything that decides the artefacts: the guest recipe and the test kernel format. */
function recipeHash(): string {
  const h = createHash('sha256');
  for (const file of [...recipeFiles(recipeDir), join(here, 'firecracker-emulator', 'test-kernel.ts')]) {
    h.update(file.slice(here.length)).update('\0').update(readFileSync(file)).update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

function run(command: string, args: string[], logFile?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const done = logFile ? writeFile(logFile, out) : Promise.resolve();
      void done.finally(() => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${out.slice(-4000)}`))));
    });
  });
}

/** Holds an exclusive flock(1) on `file` until the returned function is called (or this process dies). */
function lock(file: string): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const child = spawn('flock', ['-w', String(LOCK_WAIT_S), file, 'sh', '-c', 'echo locked; exec cat > /dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`could not lock ${file} (flock exited ${code})`)));
    child.stdout.once('data', () => {
      child.removeAllListeners('exit');
      resolve(() => child.stdin.end());
    });
  });
}

function makeReadable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const name of readdirSync(dir)) chmodSync(join(dir, name), 0o644);
}

/** Removes builds of other recipes that nobody has made for a week (bounded disk use). */
async function pruneStale(keep: string): Promise<void> {
  for (const name of readdirSync(cacheRoot)) {
    const path = join(cacheRoot, name);
    if (path === keep || !/^[0-9a-f]{16}(\.build\.log)?$/.test(name)) continue;
    if (Date.now() - statSync(path).mtimeMs > STALE_BUILD_MS) await rm(path, { recursive: true, force: true });
  }
}

async function build(final: string): Promise<number> {
  const started = Date.now();
  await pruneStale(final);
  const staging = `${final}.build`;
  await rm(staging, { recursive: true, force: true });
  await rm(`${staging}.work`, { recursive: true, force: true });
  await run('sh', [join(recipeDir, 'build-guest.sh'), staging], `${final}.build.log`);
  packTestKernel(await readFile(join(staging, 'bzImage')), await readFile(join(staging, 'initrd.gz')), join(staging, 'vmlinux'));
  await rm(join(staging, 'bzImage'));
  await rm(join(staging, 'initrd.gz'));
  // The ext4 every test disk starts from (ext4For copies it), so that a test pays a sparse copy,
  // not an unsquashfs of 200 MB.
  await ext4FromSquashfs(join(staging, 'rootfs.squashfs'), join(staging, BASE_EXT4), BASE_EXT4_MIB);
  const seconds = Math.round((Date.now() - started) / 1000);
  await writeFile(join(staging, 'build-seconds'), `${seconds}\n`);
  makeReadable(staging);
  await rename(staging, final);
  return seconds;
}

let pending: Promise<RealGuest> | null = null;

/** The real guest's artefacts, built on first use on this machine. */
export function ensureRealGuest(): Promise<RealGuest> {
  pending ??= (async () => {
    const final = join(cacheRoot, recipeHash());
    let buildSeconds = 0;
    if (!existsSync(join(final, 'vmlinux'))) {
      mkdirSync(cacheRoot, { recursive: true, mode: 0o755 });
      const unlock = await lock(join(cacheRoot, '.lock'));
      try {
        if (!existsSync(join(final, 'vmlinux'))) buildSeconds = await build(final);
      } finally {
        unlock();
      }
    }
    return {
      kernelPath: join(final, 'vmlinux'),
      rootfsSquashfsPath: join(final, 'rootfs.squashfs'),
      kernelRelease: readFileSync(join(final, 'kernel-release'), 'utf8').trim(),
      buildSeconds,
      ext4For: (dir, options) => ext4For(final, dir, options),
    };
  })();
  pending.catch(() => (pending = null));
  return pending;
}

/** Unsquashes `squashfs` and builds an ext4 of it, keeping owners, modes and setuid bits (needs root). */
async function ext4FromSquashfs(squashfs: string, out: string, sizeMiB: number): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'firedeck-guest-tree-'));
  try {
    const tree = join(work, 'tree');
    await run('unsquashfs', ['-quiet', '-no-progress', '-d', tree, squashfs]);
    await rm(out, { force: true });
    await run('mkfs.ext4', ['-q', '-F', '-L', 'rootfs', '-d', tree, out, `${sizeMiB}M`]);
    if (!statSync(out).isFile()) throw new Error(`mkfs.ext4 made no ${out}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A sparse copy of the cached base ext4, grown to the size asked for, with the key added by debugfs. */
async function ext4For(cache: string, dir: string, options: Ext4Options = {}): Promise<string> {
  const out = join(dir, options.name ?? 'rootfs.ext4');
  const sizeMiB = options.sizeMiB ?? BASE_EXT4_MIB;
  if (sizeMiB < BASE_EXT4_MIB) {
    await ext4FromSquashfs(join(cache, 'rootfs.squashfs'), out, sizeMiB);
  } else {
    await run('cp', ['--sparse=always', join(cache, BASE_EXT4), out]);
    if (sizeMiB > BASE_EXT4_MIB) {
      await run('truncate', ['-s', `${sizeMiB}M`, out]);
      await run('e2fsck', ['-fp', out]);
      await run('resize2fs', ['-p', out]);
    }
  }
  if (options.authorizedKey) {
    const work = await mkdtemp(join(tmpdir(), 'firedeck-guest-key-'));
    try {
      await writeFile(join(work, 'authorized_keys'), `${options.authorizedKey.trim()}\n`);
      const commands = [
        'mkdir /root/.ssh',
        'sif /root/.ssh mode 040700',
        'sif /root/.ssh uid 0',
        'sif /root/.ssh gid 0',
        'cd /root/.ssh',
        `write ${join(work, 'authorized_keys')} authorized_keys`,
        'sif /root/.ssh/authorized_keys mode 0100600',
        'sif /root/.ssh/authorized_keys uid 0',
        'sif /root/.ssh/authorized_keys gid 0',
      ];
      await writeFile(join(work, 'commands'), `${commands.join('\n')}\n`);
      await run('debugfs', ['-w', '-f', join(work, 'commands'), out]);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
  return out;
}
