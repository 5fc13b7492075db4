/** InstanceStart and the post-boot actions (pause, resume, Ctrl+Alt+Del) of the emulated VMM. */
import { readFileSync, readSync } from 'node:fs';
import { vmmError } from './faults';
import { guestFor } from './guest-select';
import { log, W } from './logger';
import { recordLatency, startPeriodicMetrics, stopPeriodicMetrics, writeMetrics } from './metrics';
import type { Vmm } from './vmm';

function readMeminfo(): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    for (const line of readFileSync('/proc/meminfo', 'utf8').split('\n')) {
      const m = /^(\w+):\s+(\d+)/.exec(line);
      if (m) out[m[1]!] = Number(m[2]) * 1024;
    }
  } catch {
    // not Linux: no limits known
  }
  return out;
}

/**
 * Whether the host could map the guest memory. Guest memory is an anonymous MAP_NORESERVE
 * mapping, so only the address space (or strict overcommit, or missing huge pages) limits it.
 */
function memoryProblem(vmm: Vmm): boolean {
  const bytes = vmm.machine.mem_size_mib * 1024 * 1024;
  const info = readMeminfo();
  if (vmm.machine.huge_pages === '2M') {
    const free = ((info.HugePages_Free ?? 0) / 1024) * (info.Hugepagesize ?? 0);
    if (bytes > free) return true;
  }
  let mode = 0;
  try {
    mode = Number(readFileSync('/proc/sys/vm/overcommit_memory', 'utf8').trim());
  } catch {
    mode = 0;
  }
  if (mode === 2 && info.CommitLimit !== undefined) return bytes > info.CommitLimit - (info.Committed_AS ?? 0);
  return bytes >= 2 ** (vmm.arch === 'aarch64' ? 48 : 47);
}

/**
 * Checks the kernel image for the emulated architecture. x86_64 loads ELF kernels (e_machine 62);
 * aarch64 loads arm64 `Image` files (magic "ARM\x64" at 0x38), and this double also takes an
 * ELF for EM_AARCH64 (183). On failure the text is linux-loader's, wrapped by the arch's
 * ConfigurationError (APPROX: the exact wrapping is inferred from the source, not from a run).
 */
function kernelProblem(vmm: Vmm, fd: number | null): string | null {
  const hdr = Buffer.alloc(64);
  let n = 0;
  try {
    n = fd === null ? 0 : readSync(fd, hdr, 0, 64, 0);
  } catch {
    n = 0;
  }
  const isElf = n >= 20 && hdr.readUInt32BE(0) === 0x7f454c46;
  const machine = n >= 20 ? hdr.readUInt16LE(18) : -1;
  const prefix = 'System configuration error: Cannot load kernel due to invalid memory configuration or invalid kernel image: Kernel Loader: ';
  if (vmm.arch === 'aarch64') {
    const image = n >= 0x3c && hdr.readUInt32LE(0x38) === 0x644d5241;
    return image || (isElf && machine === 183) ? null : `${prefix}failed to load PE kernel image`;
  }
  return isElf && hdr[4] === 2 && hdr[5] === 1 && machine === 62 ? null : `${prefix}failed to load ELF kernel image`;
}

export async function startMicrovm(vmm: Vmm): Promise<void> {
  if (!vmm.bootSource) throw vmmError('Start', 'Cannot start microvm without kernel configuration.');
  if (memoryProblem(vmm)) throw vmmError('Start', 'Invalid Memory Configuration: Cannot create mmap region: Out of memory (os error 12)');
  const problem = kernelProblem(vmm, vmm.bootSource.kernelFd);
  if (problem) throw vmmError('Start', problem);
  const guest = guestFor(vmm);
  await guest.boot();
  vmm.guest = guest;
  vmm.booted = true;
  vmm.state = 'Running';
  writeMetrics();
  startPeriodicMetrics();
}

function elapsedUs(t0: bigint): number {
  return Number((process.hrtime.bigint() - t0) / 1000n);
}

export async function pauseVm(vmm: Vmm): Promise<void> {
  const t0 = process.hrtime.bigint();
  await vmm.guest?.pause();
  vmm.state = 'Paused';
  stopPeriodicMetrics();
  const us = elapsedUs(t0);
  recordLatency('pause_vm', us);
  log('Info', 'main', W.rpc, `'pause vm' VMM action took ${us} us.`);
}

export async function resumeVm(vmm: Vmm): Promise<void> {
  const t0 = process.hrtime.bigint();
  const wasPaused = vmm.state === 'Paused';
  if (wasPaused) {
    await vmm.guest?.resume();
    startPeriodicMetrics();
  }
  vmm.state = 'Running';
  const us = elapsedUs(t0);
  recordLatency('resume_vm', us);
  log('Info', 'main', W.rpc, `'resume vm' VMM action took ${us} us.`);
  if (vmm.pendingCtrlAltDel) {
    vmm.pendingCtrlAltDel = false;
    setImmediate(() => vmm.guest?.ctrlAltDel());
  }
}

export function sendCtrlAltDel(vmm: Vmm): void {
  if (vmm.state === 'Paused') vmm.pendingCtrlAltDel = true;
  else setImmediate(() => vmm.guest?.ctrlAltDel());
}
