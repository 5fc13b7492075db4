import type { Arch } from '../../shared/channels/hosts.js';
import type { VmCreateRequest } from '../../shared/channels/vms.js';
import { AppError } from '../app-error.js';
import type { FirecrackerClient } from '../firecracker/client.js';
import { readKernelArch } from '../images/kernel-header.js';
import { decideJail, startJailedOr } from '../jail/jail-steps.js';
import type { JailStepContext } from '../jail/jail-steps.js';
import { beginBootTiming, putMetrics, recordBootTiming, recordRestoreTiming } from '../metrics/boot-steps.js';
import type { BootTimingMark } from '../metrics/boot-steps.js';
import { netUp, putNetworkInterface } from '../network/network-steps.js';
import type { NetworkStepContext } from '../network/network-steps.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { runHostScript } from '../ssh/host-script.js';
import type { Step } from '../steps/step-runner.js';
import { steps } from '../steps/step-runner.js';
import { MAX_SOCKET_PATH, ROOT_DISK } from './vm-paths.js';
import type { VmPaths } from './vm-paths.js';
import { consoleWatch, vmDiskCreate, vmKill, vmPrepare, vmSnapshotDiskRestore, vmStart } from './vm-scripts.js';

/** What the boot steps read and fill (the network and jail steps' fields: see NetworkStepContext, JailStepContext). */
export interface VmStartContext extends Omit<NetworkStepContext, 'request' | 'client' | 'snapshot'>, Omit<JailStepContext, 'request' | 'snapshot'> {
  request: VmCreateRequest;
  connection: HostConnection;
  hostArch: Arch;
  hostName: string;
  availableMemoryMib: number | null;
  firecrackerBinary: string;
  paths: VmPaths;
  /** Filled by `fc.connect`. */
  client?: FirecrackerClient;
  /** Opens the API client once the socket exists (the transport is the host's choice). */
  openClient(): Promise<FirecrackerClient>;
  /** Closes what openClient opened: the client, its relay channels, a tcp host's bridge. */
  closeClient(): Promise<void>;
  /** Filled by `bootTiming.begin`. */
  bootTiming?: BootTimingMark;
  /** Used by the restore and roll-back variants: snapshot `name` of the run directory `sourceDir`. */
  snapshot?: { sourceDir: string; name: string; statePath: string; memPath: string };
}

export const validateConfig: Step<VmStartContext> = {
  name: 'validate.config',
  async run(ctx) {
    const { request, paths } = ctx;
    if (Buffer.byteLength(paths.socket) > MAX_SOCKET_PATH) {
      throw new AppError('INVALID_INPUT', `The API socket path ${paths.socket} is ${Buffer.byteLength(paths.socket)} bytes; Unix sockets allow ${MAX_SOCKET_PATH}.`, {
        remedy: 'Choose a shorter VM id.',
      });
    }
    if (ctx.availableMemoryMib !== null && request.memoryMib > ctx.availableMemoryMib) {
      throw new AppError('INVALID_INPUT', `${ctx.hostName} has ${ctx.availableMemoryMib} MiB of memory free; the microVM asks for ${request.memoryMib} MiB.`, {
        remedy: 'Give the microVM less memory, or stop other microVMs on this host.',
        details: { issues: [{ path: 'memoryMib', message: `At most ${ctx.availableMemoryMib} MiB are free on this host.` }] },
      });
    }
  },
};

export const validateKernel: Step<VmStartContext> = {
  name: 'validate.kernelArch',
  async run(ctx) {
    const found = await readKernelArch(ctx.connection, ctx.request.kernel);
    if (!found) throw new AppError('KERNEL_UNKNOWN', `${ctx.request.kernel} is not a Linux kernel Firecracker can boot (neither an x86_64 ELF vmlinux nor an arm64 Image).`, { remedy: 'Choose a kernel from the host’s images.' });
    if (found.arch !== ctx.hostArch) {
      throw new AppError('KERNEL_ARCH_MISMATCH', `The kernel ${ctx.request.kernel} is built for ${found.arch}, but ${ctx.hostName} is an ${ctx.hostArch} host; Firecracker would crash at once.`, {
        remedy: `Choose an ${ctx.hostArch} kernel (the image list only offers those).`,
      });
    }
  },
};

export const prepareRunDir: Step<VmStartContext> = {
  name: 'host.prepareRunDir',
  async run(ctx) {
    // A restore's request is the source VM's config.json: its boot-timing record is the source's,
    // not this VM's (the timing steps write this one's).
    const { name: _n, bootTiming: _b, ...config } = ctx.request as VmStartContext['request'] & { bootTiming?: unknown };
    const result = await runHostScript(ctx.connection, vmPrepare, [ctx.paths.dir, JSON.stringify({ ...config, name: ctx.request.name, createdAt: new Date().toISOString() })], { timeoutMs: 30_000 });
    if (result.outcome === 'exists') throw new AppError('CONFLICT', `A microVM with the id ${ctx.request.id} already exists on ${ctx.hostName}.`, { remedy: 'Choose another id, or delete the other microVM.' });
  },
  async undo(ctx) {
    await runHostScript(ctx.connection, vmKill, [ctx.paths.dir, 'delete'], { timeoutMs: 30_000 });
  },
};

/** The VM's own disk: a checked copy of the image, grown to the size asked for (undone with the run directory). */
export const createDisk: Step<VmStartContext> = {
  name: 'host.createDisk',
  async run(ctx) {
    const bytes = (ctx.request.diskMib ?? 0) * 1024 * 1024;
    // Copying (and checking) a large image takes a while where the filesystem cannot reflink.
    const made = await runHostScript(ctx.connection, vmDiskCreate, [ctx.paths.dir, ctx.request.rootfs, bytes], { timeoutMs: 30 * 60_000 }).catch((error: unknown) => {
      // The script's named exit knows no path; the user needs to know which image is missing.
      if (error instanceof AppError && error.code === 'NOT_FOUND') {
        throw new AppError('NOT_FOUND', `The root filesystem image ${ctx.request.rootfs} cannot be read on ${ctx.hostName}.`, { remedy: error.remedy });
      }
      throw error;
    });
    const [sha256, size] = made.output.trim().split(' ');
    return `${ROOT_DISK}: ${Math.ceil(Number(size) / 1024 ** 2)} MiB, image SHA-256 ${sha256?.slice(0, 12) ?? '?'}…`;
  },
};

/**
 * The snapshot's disk copied in as the VM's own (a clone's new disk, or the rolled-back VM's,
 * replaced while Firecracker is stopped): the snapshot's state names `rootfs.ext4` relative to
 * the run directory, so the loaded VM opens this copy, never the source's disk.
 */
export const restoreDisk: Step<VmStartContext> = {
  name: 'host.restoreDisk',
  async run(ctx) {
    await runHostScript(ctx.connection, vmSnapshotDiskRestore, [ctx.snapshot!.sourceDir, ctx.snapshot!.name, ctx.paths.dir], { timeoutMs: 30 * 60_000 });
  },
};

export const startProcess: Step<VmStartContext> = {
  name: 'host.startFirecracker',
  async run(ctx) {
    await runHostScript(ctx.connection, vmStart, [ctx.paths.dir, ctx.firecrackerBinary, ctx.request.id, ...(ctx.launchPrefix ?? [])], { timeoutMs: 30_000 });
  },
  async undo(ctx) {
    await runHostScript(ctx.connection, vmKill, [ctx.paths.dir, 'vm'], { timeoutMs: 30_000 });
  },
};

/** console.log is cut back past this size (a chatty guest would fill the host's disk)... */
export const CONSOLE_LOG_MAX_BYTES = 4 * 1024 * 1024;
/** ...keeping this much of its end as console.log.1, for the last lines of a VM that exits. */
export const CONSOLE_LOG_KEEP_BYTES = 1024 * 1024;

/**
 * Starts the host-side watcher that keeps the console log bounded (console-watch.sh); it ends on
 * its own with Firecracker, and vm-kill.sh ends it with the VM. Goes after `host.startFirecracker`
 * in every list that starts one (boot, restore, roll back).
 */
export const watchConsoleLog: Step<VmStartContext> = {
  name: 'host.watchConsoleLog',
  async run(ctx) {
    await runHostScript(ctx.connection, consoleWatch, [ctx.paths.dir, CONSOLE_LOG_MAX_BYTES, CONSOLE_LOG_KEEP_BYTES, 1], { timeoutMs: 30_000 });
  },
};

export const connectApi: Step<VmStartContext> = {
  name: 'fc.connect',
  async run(ctx) {
    ctx.client = await ctx.openClient();
    await ctx.client.describeInstance();
  },
  async undo(ctx) {
    await ctx.closeClient();
  },
};

const api = (ctx: VmStartContext) => ctx.client!;

export const putMachineConfig: Step<VmStartContext> = {
  name: 'fc.putMachineConfig',
  run: (ctx) => api(ctx).putMachineConfig({ vcpu_count: ctx.request.vcpus, mem_size_mib: ctx.request.memoryMib }),
};

export const putBootSource: Step<VmStartContext> = {
  name: 'fc.putBootSource',
  run: (ctx) => api(ctx).putBootSource({ kernel_image_path: ctx.request.kernel, boot_args: [ctx.request.bootArgs, ...(ctx.extraBootArgs ?? [])].join(' ') }),
};

export const putRootfs: Step<VmStartContext> = {
  name: 'fc.putRootDrive',
  run: (ctx) => api(ctx).putDrive({ drive_id: 'rootfs', path_on_host: ROOT_DISK, is_root_device: true, is_read_only: false }),
};

export const instanceStart: Step<VmStartContext> = {
  name: 'fc.instanceStart',
  run: (ctx) => api(ctx).action('InstanceStart'),
};

export const loadSnapshot: Step<VmStartContext> = {
  name: 'fc.loadSnapshot',
  run: (ctx) =>
    api(ctx).loadSnapshot({
      snapshot_path: ctx.snapshot!.statePath,
      mem_backend: { backend_type: 'File', backend_path: ctx.snapshot!.memPath },
      resume_vm: true,
      ...(ctx.networkOverrides ? { network_overrides: ctx.networkOverrides } : {}),
    }),
};

/** Booting a new microVM, in order. */
export const bootSteps: readonly Step<VmStartContext>[] = [
  beginBootTiming,
  validateConfig,
  validateKernel,
  prepareRunDir,
  createDisk,
  netUp,
  decideJail,
  startJailedOr(startProcess),
  watchConsoleLog,
  connectApi,
  putMetrics,
  putMachineConfig,
  putBootSource,
  putRootfs,
  putNetworkInterface,
  instanceStart,
  recordBootTiming,
];

/** Restoring a snapshot into a new microVM: the boot list without configuration, loading the snapshot instead. */
export const restoreSteps: readonly Step<VmStartContext>[] = steps.insertAfter(
  steps.insertAfter(
    steps.remove(bootSteps, validateKernel, createDisk, putMachineConfig, putBootSource, putRootfs, putNetworkInterface, instanceStart, recordBootTiming),
    putMetrics,
    loadSnapshot,
    recordRestoreTiming,
  ),
  prepareRunDir,
  restoreDisk,
);

/** Rolling a VM back to one of its snapshots, Firecracker stopped first: its run directory stays, disk and memory are the snapshot's. */
export const rollbackSteps: readonly Step<VmStartContext>[] = steps.remove(restoreSteps, validateConfig, prepareRunDir);
