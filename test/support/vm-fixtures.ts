import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Firecracker API emulator (a test double), run on test hosts as their `firecracker`: the
 * bundle that test/support/firecracker-emulator/build.mjs writes at test setup (the vitest and
 * Playwright global setups, and `npm run bench`, build it). Found by walking up from this module,
 * which also works when the benchmarks bundle it into dist/.
 */
export const emulatorPath = (() => {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'test', 'support', 'firecracker-emulator', 'main.ts'))) return join(dir, 'test', 'support', '.build', 'firecracker');
  }
  throw new Error('test/support/firecracker-emulator not found above this module');
})();

/** A 64-byte x86_64 ELF header: what the kernel check and the emulator read of a vmlinux. */
export function x86KernelHeader(): Buffer {
  const header = Buffer.alloc(4096);
  header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  header.writeUInt16LE(2, 16); // ET_EXEC
  header.writeUInt16LE(62, 18); // EM_X86_64
  return header;
}

/** An arm64 `Image` header: magic ARM\x64 at 0x38. */
export function arm64KernelHeader(): Buffer {
  const header = Buffer.alloc(4096);
  header.set([0x41, 0x52, 0x4d, 0x64], 0x38);
  return header;
}

/**
 * Gives a test user's home what the setup wizard would install: Firecracker as
 * ~/.firedeck/bin/firecracker, and a kernel and rootfs under ~/.firedeck/images/ARCH.
 *
 * On a KVM host, FIRECRACKER_BIN (with FIRECRACKER_KERNEL and FIRECRACKER_ROOTFS) puts the real
 * binary and a bootable guest there instead, so the same scenarios run against real Firecracker.
 */
export async function installFirecrackerFor(user: string, arch: 'x86_64' | 'aarch64' = 'x86_64'): Promise<{ kernel: string; rootfs: string; wrongKernel: string }> {
  const home = `/home/${user}/.firedeck`;
  await removeVmsOf(user);
  await mkdir(`${home}/bin`, { recursive: true });
  await mkdir(`${home}/images/${arch}`, { recursive: true });
  await copyFile(process.env.FIRECRACKER_BIN ?? emulatorPath, `${home}/bin/firecracker`);
  await chmod(`${home}/bin/firecracker`, 0o755);
  const kernel = `${home}/images/${arch}/vmlinux-6.1.102`;
  const rootfs = `${home}/images/${arch}/rootfs-ubuntu-22.04.ext4`;
  const wrongKernel = `/home/${user}/wrong-arch-kernel`;
  if (process.env.FIRECRACKER_KERNEL) await copyFile(process.env.FIRECRACKER_KERNEL, kernel);
  else await writeFile(kernel, arch === 'x86_64' ? x86KernelHeader() : arm64KernelHeader());
  if (process.env.FIRECRACKER_ROOTFS) await copyFile(process.env.FIRECRACKER_ROOTFS, rootfs);
  // A real (tiny) ext4, so that a VM's own disk can be grown from it as from a real image.
  else execFileSync('mkfs.ext4', ['-q', '-F', rootfs, '1M'], { env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` }, stdio: 'ignore' });
  await writeFile(wrongKernel, arch === 'x86_64' ? arm64KernelHeader() : x86KernelHeader());
  execFileSync('chown', ['-R', `${user}:${user}`, home, wrongKernel]);
  return { kernel, rootfs, wrongKernel };
}

/**
 * Kills every microVM process of a test user and removes their run directories: a run that died
 * half-way (this machine also runs CI) must not leave VMs that later runs trip over.
 */
export async function removeVmsOf(user: string): Promise<void> {
  try {
    execFileSync('pkill', ['-9', '-u', user, '-f', `/home/${user}/.firedeck/`], { stdio: 'ignore' });
  } catch {
    // nothing was running
  }
  await rm(`/home/${user}/.firedeck/vms`, { recursive: true, force: true });
}

/** Processes of `user` whose command line mentions `text` (to prove nothing leaked). */
export function processesOf(user: string, text: string): string[] {
  try {
    return execFileSync('pgrep', ['-u', user, '-a', '-f', text], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** A `pgrep -a` line of a VM's console-log watcher (console-watch.sh's loop or its sleep), which lives as long as its VM. */
export function isConsoleLogWatcher(line: string): boolean {
  return line.includes('console-watch.sh DIR MAX_BYTES') || /^\d+ sleep 1$/.test(line);
}
