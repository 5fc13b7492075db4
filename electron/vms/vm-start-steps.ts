import type { Arch } from '../../shared/channels/hosts.js';
import type { VmCreateRequest } from '../../shared/channels/vms.js';
import { AppError } from '../app-error.js';
import type { FirecrackerClient } from '../firecracker/client.js';
import { readKernelArch } from '../images/kernel-header.js';
import { decideJail, startJailedOr } from '../jail/jail-steps.js';
import type { JailStepContext } from '../jail/jail-steps.js';
import { beginBootTiming, putMetrics, recordBootTiming, recordRestoreTiming } from '../metrics/boot-steps.js';
import type { BootTimingMark } from '../metrics/boot-steps.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { runHostScript } from '../ssh/host-script.js';
import type { Step } from '../steps/step-runner.js';
import { steps } from '../steps/step-runner.js';
import { MAX_SOCKET_PATH } from './vm-paths.js';
import type { VmPaths } from './vm-paths.js';
import { tapEnsure, vmKill, vmPrepare, vmStart } from './vm-scripts.js';

/** What the boot steps read and fill. */
export interface VmStartContext extends JailStepContext {
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
  /** Used by the restore variant. */
  snapshot?: { statePath: string; memPath: string };
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
    const { name: _n, ...config } = ctx.request;
    const result = await runHostScript(ctx.connection, vmPrepare, [ctx.paths.dir, JSON.stringify({ ...config, name: ctx.request.name, createdAt: new Date().toISOString() })], { timeoutMs: 30_000 });
    if (result.outcome === 'exists') throw new AppError('CONFLICT', `A microVM with the id ${ctx.request.id} already exists on ${ctx.hostName}.`, { remedy: 'Choose another id, or delete the other microVM.' });
  },
  async undo(ctx) {
    await runHostScript(ctx.connection, vmKill, [ctx.paths.dir, 'delete'], { timeoutMs: 30_000 });
  },
};

export const startProcess: Step<VmStartContext> = {
  name: 'host.startFirecracker',
  async run(ctx) {
    await runHostScript(ctx.connection, vmStart, [ctx.paths.dir, ctx.firecrackerBinary, ctx.request.id], { timeoutMs: 30_000 });
  },
  async undo(ctx) {
    await runHostScript(ctx.connection, vmKill, [ctx.paths.dir, 'vm'], { timeoutMs: 30_000 });
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
  run: (ctx) => api(ctx).putBootSource({ kernel_image_path: ctx.request.kernel, boot_args: ctx.request.bootArgs }),
};

export const putRootfs: Step<VmStartContext> = {
  name: 'fc.putRootDrive',
  run: (ctx) => api(ctx).putDrive({ drive_id: 'rootfs', path_on_host: ctx.request.rootfs, is_root_device: true, is_read_only: false }),
};

export const putNetwork: Step<VmStartContext> = {
  name: 'fc.putNetworkInterface',
  async run(ctx) {
    const network = ctx.request.network;
    if (!network) return;
    // The tap device is created with sudo only when missing, owned by the SSH user.
    const tap = await runHostScript(ctx.connection, tapEnsure, [network.tap], { timeoutMs: 30_000 });
    if (tap.outcome === 'needs-sudo') {
      throw new AppError('SUDO_REQUIRED', `The tap device ${network.tap} does not exist on ${ctx.hostName}, and creating it needs sudo without a password.`, {
        remedy: `Create it once on the host as root (ip tuntap add dev ${network.tap} mode tap user <the SSH user>, then ip link set ${network.tap} up), or leave the network empty.`,
      });
    }
    await api(ctx).putNetworkInterface({ iface_id: 'eth0', host_dev_name: network.tap, guest_mac: network.mac });
    if (ctx.request.mmds) {
      await api(ctx).putMmdsConfig({ network_interfaces: ['eth0'], version: 'V2' });
      await api(ctx).putMmds(ctx.request.mmds);
    }
  },
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
    }),
};

/** Booting a new microVM, in order. */
export const bootSteps: readonly Step<VmStartContext>[] = [
  beginBootTiming,
  validateConfig,
  validateKernel,
  prepareRunDir,
  decideJail,
  startJailedOr(startProcess),
  connectApi,
  putMetrics,
  putMachineConfig,
  putBootSource,
  putRootfs,
  putNetwork,
  instanceStart,
  recordBootTiming,
];

/** Restoring a snapshot into a new microVM: the boot list without configuration, loading the snapshot instead. */
export const restoreSteps: readonly Step<VmStartContext>[] = steps.insertAfter(
  steps.remove(bootSteps, validateKernel, putMachineConfig, putBootSource, putRootfs, putNetwork, instanceStart, recordBootTiming),
  putMetrics,
  loadSnapshot,
  recordRestoreTiming,
);
