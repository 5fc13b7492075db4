import netRecordSource from '../host-scripts/net-record.sh';
import type { AppErrorShape } from '../../shared/errors.js';
import type { VmNetworkSummary } from '../../shared/channels/vms.js';
import { AppError } from '../app-error.js';
import type { FirecrackerClient } from '../firecracker/client.js';
import { hostScript, runHostScript } from '../ssh/host-script.js';
import type { HostConnection } from '../ssh/host-connection.js';
import type { Step } from '../steps/step-runner.js';
import { GUEST_INTERFACE, TAP_NAME } from './guest-network.js';
import { HELPER_PATH } from './network-helper.js';
import type { NetworkService, VmNetwork } from './network-service.js';

/** DIR JSON — see net-record.sh. */
export const netRecord = hostScript({
  name: 'net-record',
  source: netRecordSource,
  what: 'Noting the microVM’s network',
  failures: { 3: { code: 'HOST_COMMAND_FAILED', message: 'The microVM’s config.json is missing or damaged, so its network could not be noted.', remedy: 'Delete the microVM and create it again.' } },
});

/** What the network steps read and fill of a VM start's context (VmStartContext has all of it). */
export interface NetworkStepContext {
  /** `network` is `default`/`none`; a config read back from an older VM may hold undefined or `{ tap, mac }`. */
  request: { hostId: string; id: string; network?: unknown; mmds?: Record<string, unknown>; guestNetwork?: unknown };
  connection: HostConnection;
  hostName: string;
  paths: { dir: string };
  /** The host's network service; absent, VMs start without a network. */
  network?: NetworkService;
  /** Set for a restore: the snapshot's network device needs a tap to exist. */
  snapshot?: unknown;
  /** Filled by `net.up`: the VM's network once it is up. */
  vmNetwork?: VmNetwork;
  /** Filled by `net.up`: why the VM has no network although it asked for one. */
  networkProblem?: AppErrorShape;
  /** Filled by `net.up`: what Firecracker is started through (the helper's net-exec into the VM's namespace). */
  launchPrefix?: string[];
  /** Filled by `net.up`: appended to the kernel command line (the guest's `ip=`). */
  extraBootArgs?: string[];
  /** Filled by `net.up` for a restore whose snapshot names another tap than tap0. */
  networkOverrides?: { iface_id: string; host_dev_name: string }[];
  /** Filled by `fc.connect`. */
  client?: FirecrackerClient;
}

/** Whether a request (or a config read back from a VM made by an older Firedeck) asks for a network. */
export function wantsNetwork(network: unknown): boolean {
  return network === 'default' || (typeof network === 'object' && network !== null);
}

/**
 * Whether the VM a snapshot was taken of had a network device: it asked for one (or typed a tap,
 * in older Firedecks) and got one (net-record.sh noted its address, not a problem).
 */
function snapshotHasNetwork(request: NetworkStepContext['request']): boolean {
  if (typeof request.network === 'object' && request.network !== null) return true;
  const noted = request.guestNetwork;
  return request.network === 'default' && typeof noted === 'object' && noted !== null && typeof (noted as { hostAddress?: unknown }).hostAddress === 'string';
}

/** The tap a snapshot's network device was made with: tap0, unless the VM used the old typed-in tap. */
function snapshotTap(network: unknown): string {
  const tap = typeof network === 'object' && network !== null ? (network as { tap?: unknown }).tap : undefined;
  return typeof tap === 'string' ? tap : TAP_NAME;
}

/** The helper's net-exec: the rest of the command runs as the SSH user, unprivileged, inside the VM's namespace. */
export function netExecPrefix(network: Pick<VmNetwork, 'uid' | 'vmId'>): string[] {
  return ['sudo', '-n', '--', HELPER_PATH, 'net-exec', String(network.uid), network.vmId, '--'];
}

export function networkSummary(network: VmNetwork): VmNetworkSummary {
  return { hostAddress: network.hostAddress, guestAddress: network.guestAddress, mac: network.mac };
}

/**
 * Builds the VM's network before Firecracker starts (after the run directory exists, whose undo
 * must not run for another VM of the same id) and notes it in config.json. A host without the
 * helper boots the VM without a network and notes why; a helper that was tampered with, or a
 * pool that collides with the host's routes, stops the boot (the user has to act). A restore
 * cannot go without: the snapshot's network device needs its tap.
 */
export const netUp: Step<NetworkStepContext> = {
  name: 'net.up',
  async check(ctx) {
    if (ctx.snapshot) return snapshotHasNetwork(ctx.request) ? null : 'The snapshot has no network device.';
    return wantsNetwork(ctx.request.network) ? null : 'The microVM was asked for without a network.';
  },
  async run(ctx) {
    const service = ctx.network;
    try {
      if (!service) throw new AppError('HELPER_MISSING', 'This Firedeck has no network service for the host.');
      ctx.vmNetwork = await service.up(ctx.request.hostId, ctx.request.id);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'HELPER_MISSING') throw error;
      if (ctx.snapshot) {
        throw new AppError('HELPER_MISSING', `The snapshot has a network device, and ${ctx.hostName} has no network helper to give the restored microVM a network: it cannot be restored without one.`, {
          remedy: error.remedy ?? 'Install the network helper (Hosts → this host → Network helper).',
        });
      }
      ctx.networkProblem = { code: error.code, message: `Started without a network: ${error.message}`, ...(error.remedy ? { remedy: error.remedy } : {}) };
      await runHostScript(ctx.connection, netRecord, [ctx.paths.dir, JSON.stringify({ problem: { message: ctx.networkProblem.message, remedy: ctx.networkProblem.remedy } })], { timeoutMs: 30_000 });
      return 'no network helper on the host: the microVM starts without a network';
    }
    const network = ctx.vmNetwork;
    ctx.launchPrefix = netExecPrefix(network);
    ctx.extraBootArgs = [network.bootArgs];
    const tap = snapshotTap(ctx.request.network);
    if (ctx.snapshot && tap !== network.tap) ctx.networkOverrides = [{ iface_id: GUEST_INTERFACE, host_dev_name: network.tap }];
    await runHostScript(ctx.connection, netRecord, [ctx.paths.dir, JSON.stringify(networkSummary(network))], { timeoutMs: 30_000 });
    return `${network.netns}: the host reaches the guest at ${network.hostAddress}`;
  },
  async undo(ctx) {
    if (ctx.vmNetwork) await ctx.network?.down(ctx.request.hostId, ctx.request.id);
  },
};

/** Gives Firecracker the VM's tap (tap0 inside its namespace) with the guest's MAC, and MMDS on it when asked for. */
export const putNetworkInterface: Step<NetworkStepContext> = {
  name: 'fc.putNetworkInterface',
  async run(ctx) {
    const network = ctx.vmNetwork;
    if (!network) return;
    await ctx.client!.putNetworkInterface({ iface_id: GUEST_INTERFACE, host_dev_name: network.tap, guest_mac: network.mac });
    if (ctx.request.mmds) {
      await ctx.client!.putMmdsConfig({ network_interfaces: [GUEST_INTERFACE], version: 'V2' });
      await ctx.client!.putMmds(ctx.request.mmds);
    }
  },
};
