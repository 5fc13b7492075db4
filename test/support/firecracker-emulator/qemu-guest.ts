/**
 * The real guest: when the boot source is a test kernel (see test-kernel.ts), InstanceStart hands
 * the microVM to QEMU's `microvm` machine under TCG (no KVM needed), built from the VMM's
 * configuration: the kernel command line Firecracker would pass, vCPUs and memory, every drive
 * (the file Firecracker was given, read-write unless is_read_only, relative paths resolved
 * against this process's cwd as Firecracker's are), the tap of each network interface with its
 * MAC, an i8042 keyboard controller (for Ctrl+Alt+Del), and the serial console on this process's
 * own stdin/stdout. The API state machine, its answers and the exit codes stay the emulator's.
 *
 * - Pause and resume are QMP `stop` and `cont`; SendCtrlAltDel is QMP `send-key` of
 *   ctrl-alt-delete, which the guest turns into a reboot; with `-no-reboot` QEMU then exits, and
 *   so does this process, with 0, as Firecracker does when its guest reboots.
 * - Snapshots (APPROX): create (the VM is paused) is a QMP `migrate` of the stopped machine into
 *   the memory file (`exec:cat > FILE`): guest memory plus device state, in QEMU's migration
 *   format instead of Firecracker's raw memory image. The state file is the emulator's own, as for
 *   the script guest. Load starts a new QEMU with the same machine from the state file (drive paths
 *   as the state records them, taps as `network_overrides` rename them) and `-incoming` from the
 *   memory file, paused until resumed. Disks are not in the snapshot: as with Firecracker, whoever
 *   restores brings a disk whose contents match (Firedeck copies it while the VM is paused).
 * - QEMU exiting 0 (guest reboot or power-off) ends this process with 0; QEMU dying in any other
 *   way ends it with 1 (APPROX: Firecracker's own texts for a dead VMM thread differ).
 * - QEMU runs under `setpriv --pdeathsig KILL`, so it never outlives this process, even when this
 *   process is SIGKILLed.
 * - TCG timing (APPROX): the guest cannot calibrate its TSC against the PIT reliably on a loaded
 *   host, and then hangs at boot, so `tsc_early_khz=<host TSC> tsc=reliable` is appended to the
 *   command line QEMU gets (under TCG the guest TSC runs at the host's rate, and stops while paused).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vmmError } from './faults';
import type { Guest, SavedGuest } from './guest';
import { log, W } from './logger';
import { exitCleanly, exitWithError, isExiting, onExit } from './process-exit';
import { Qmp } from './qmp';
import { guestCmdline } from './script-guest';
import type { Part, TestKernelLayout } from './test-kernel';
import { readPart, readTestKernel } from './test-kernel';
import type { Vmm } from './vmm';
import { closeFd } from './vmm';

const QEMU = 'qemu-system-x86_64';
const QMP_TIMEOUT_MS = 30_000;
const MIGRATION_TIMEOUT_MS = 600_000;

export interface QemuGuest extends Guest {
  /** Starts QEMU paused, loading guest memory and device state from a snapshot's memory file. */
  restore(memPath: string): Promise<void>;
}

/** A private directory of this user's for unpacked kernels and QMP sockets. */
function runtimeDir(): string {
  const dir = join(tmpdir(), `firedeck-emulator-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The bzImage and initramfs of a test kernel, unpacked once per content into the runtime dir. */
function unpackKernel(kernelFd: number, layout: TestKernelLayout): { bzImage: string; initrd: string } {
  const dir = join(runtimeDir(), 'kernels', layout.id);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const unpack = (name: string, part: Part) => {
    const file = join(dir, name);
    if (!existsSync(file)) {
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, readPart(kernelFd, part));
      renameSync(tmp, file);
    }
    return file;
  };
  return { bzImage: unpack('bzImage', layout.bzImage), initrd: unpack('initrd.gz', layout.initrd) };
}

/** The test kernel open as `fd`, unpacked; null when it is not one (the script guest's case). */
export function testKernelOf(fd: number | null): { bzImage: string; initrd: string } | null {
  if (fd === null) return null;
  const layout = readTestKernel(fd);
  return layout ? unpackKernel(fd, layout) : null;
}

/** The test kernel at `path` (a snapshot load), unpacked; throws when it is not one. */
export function testKernelAt(path: string): { bzImage: string; initrd: string } {
  const fd = openSync(path, 'r');
  try {
    const kernel = testKernelOf(fd);
    if (!kernel) throw new Error(`${path} is not a test kernel`);
    return kernel;
  } finally {
    closeFd(fd);
  }
}

function hostTscKhz(): number | null {
  try {
    const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? Math.round(Number(m[1]) * 1000) : null;
  } catch {
    return null;
  }
}

/** A shell word for QEMU's `exec:` migration URIs. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function createQemuGuest(vmm: Vmm, kernel: { bzImage: string; initrd: string }, savedCmdline?: string): QemuGuest {
  let cmdline = savedCmdline;
  if (cmdline === undefined) {
    const khz = hostTscKhz();
    cmdline = `${guestCmdline(vmm)}${khz ? ` tsc_early_khz=${khz} tsc=reliable` : ''}`;
  }
  const qmpPath = join(runtimeDir(), `qmp-${process.pid}.sock`);
  let qmp: Qmp | null = null;
  let stderr = '';
  let exited: string | null = null;
  let started = false;

  function args(): string[] {
    const m = vmm.machine;
    const a = [
      '-M', 'microvm,accel=tcg', '-cpu', 'max', '-m', String(m.mem_size_mib), '-smp', String(m.vcpu_count),
      '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
      '-chardev', 'stdio,id=console,signal=off', '-serial', 'chardev:console',
      '-device', 'i8042',
      '-qmp', `unix:${qmpPath},server=on,wait=off`,
      '-kernel', kernel.bzImage, '-initrd', vmm.bootSource?.config.initrd_path ?? kernel.initrd, '-append', cmdline!,
    ];
    vmm.drives.forEach((d, i) => {
      if (d.config.path_on_host === null) return; // APPROX: vhost-user drives are not attached
      const node = { driver: 'raw', 'node-name': `drive${i}`, 'read-only': Boolean(d.config.is_read_only), file: { driver: 'file', filename: d.config.path_on_host, locking: 'off' } };
      a.push('-blockdev', JSON.stringify(node), '-device', `virtio-blk-device,drive=drive${i}`);
    });
    vmm.nets.forEach((n, i) => {
      a.push('-netdev', `tap,id=net${i},ifname=${n.config.host_dev_name},script=no,downscript=no`);
      a.push('-device', `virtio-net-device,netdev=net${i}${n.config.guest_mac ? `,mac=${n.config.guest_mac}` : ''}`);
    });
    return a;
  }

  function onQemuExit(code: number | null, signal: NodeJS.Signals | null): void {
    exited = signal ? `QEMU was killed by ${signal}` : `QEMU exited with code ${code}`;
    qmp?.close();
    rmSync(qmpPath, { force: true });
    if (!started || isExiting()) return;
    if (code === 0) {
      exitCleanly();
      return;
    }
    const detail = `${exited}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
    log('Error', 'main', W.vmm, `The guest's VMM stopped: ${detail}`);
    exitWithError(`RunWithApiError error: MicroVMStoppedWithError: ${detail}`, `RunWithApi(MicroVMStoppedWithError(${JSON.stringify(detail)}))`, 1);
  }

  async function launch(extra: string[]): Promise<void> {
    rmSync(qmpPath, { force: true });
    const child = spawn('setpriv', ['--pdeathsig', 'KILL', QEMU, ...args(), ...extra], { stdio: [0, 1, 'pipe'], cwd: process.cwd() });
    onExit(() => {
      if (exited === null) child.kill('SIGKILL');
      rmSync(qmpPath, { force: true });
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      stderr = (stderr + d).slice(-8192);
    });
    child.on('error', (e) => {
      stderr += `\n${e.message}`;
      onQemuExit(127, null);
    });
    child.on('exit', onQemuExit);
    try {
      qmp = await Qmp.connect(qmpPath, QMP_TIMEOUT_MS, () => (exited ? `${exited}: ${stderr.trim()}` : null));
    } catch (e) {
      if (exited === null) child.kill('SIGKILL');
      throw e;
    }
  }

  const command = <T = unknown>(name: string, a?: Record<string, unknown>) => qmp!.command<T>(name, a);

  return {
    async boot() {
      try {
        await launch([]);
      } catch (e) {
        throw vmmError('Start', `Cannot start the guest under QEMU: ${e instanceof Error ? e.message : String(e)}`);
      }
      started = true;
    },
    async restore(memPath) {
      await launch(['-S', '-incoming', `exec:cat ${shellQuote(memPath)}`]);
      const deadline = Date.now() + MIGRATION_TIMEOUT_MS;
      for (;;) {
        const status = await command<{ status: string }>('query-status');
        if (status.status !== 'inmigrate') break;
        if (Date.now() > deadline) throw new Error('QEMU did not finish loading the snapshot in time');
        await new Promise((r) => setTimeout(r, 50));
      }
      started = true;
    },
    async pause() {
      await command('stop');
    },
    async resume() {
      await command('cont');
    },
    ctrlAltDel() {
      const keys = ['ctrl', 'alt', 'delete'].map((data) => ({ type: 'qcode', data }));
      command('send-key', { keys }).catch(() => {});
    },
    snapshotState(): SavedGuest {
      return { kind: 'qemu', cmdline };
    },
    async saveMemory(memPath) {
      try {
        await command('migrate-set-parameters', { 'max-bandwidth': 1024 ** 4 });
        await command('migrate', { uri: `exec:cat > ${shellQuote(memPath)}` });
        const deadline = Date.now() + MIGRATION_TIMEOUT_MS;
        for (;;) {
          const info = await command<{ status?: string; 'error-desc'?: string }>('query-migrate');
          if (info.status === 'completed') return;
          if (info.status === 'failed' || info.status === 'cancelled') throw new Error(info['error-desc'] ?? `migration ${info.status}`);
          if (Date.now() > deadline) throw new Error('the memory dump did not finish in time');
          await new Promise((r) => setTimeout(r, 50));
        }
      } catch (e) {
        throw vmmError('CreateSnapshot', `Cannot perform write on the memory backing file: ${e instanceof Error ? e.message : String(e)}`);
      }
    },
  };
}
