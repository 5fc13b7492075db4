import type { HostNetworks, NetworkHelperStatus, NetworkHelperText, PoolCheck, VmNetworkEntry } from '../../shared/channels/network.js';
import type { AppErrorShape } from '../../shared/errors.js';
import { AppError } from '../app-error.js';
import type { HostService } from '../hosts/host-service.js';
import { runHostScript } from '../ssh/host-script.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { createSerialQueue } from '../store/serial-queue.js';
import type { SerialQueue } from '../store/serial-queue.js';
import { blockAddresses, DEFAULT_POOL, freeIndex, parsePool, parseRoutes, poolConflicts } from './address-pool.js';
import type { AddressPool } from './address-pool.js';
import { GUEST_ADDRESS, GUEST_MAC, guestDnsServers, kernelIpArgument, TAP_NAME } from './guest-network.js';
import { describeHelper, HELPER_PATH, HELPER_SHA256, HELPER_TEXT, HELPER_VERSION, SUDOERS_DIR, sudoersPath } from './network-helper.js';
import { keyValues, networkScripts, parseVmLine } from './network-scripts.js';

/** A VM's network once it is up: what VM boot puts into Firecracker's config and boot args. */
export interface VmNetwork {
  vmId: string;
  /** The SSH user's uid on the host (the helper's net-exec takes it). */
  uid: number;
  /** The VM's network namespace (fd<uid>-<vmId>); Firecracker must run inside it. */
  netns: string;
  index: number;
  /** Where the host reaches the VM (block .2 of the pool, DNAT to the guest). */
  hostAddress: string;
  /** The host's end of the VM's veth (block .1): the namespace's gateway. */
  hostVethAddress: string;
  guestAddress: typeof GUEST_ADDRESS;
  tap: typeof TAP_NAME;
  mac: typeof GUEST_MAC;
  dns: string[];
  /** `ip=…` to append to the kernel command line. */
  bootArgs: string;
}

export interface RepairReport {
  /** VM ids whose leftover networks were removed. */
  removed: string[];
  /** Why nothing was looked at (no helper on the host). */
  skipped?: AppErrorShape;
}

export interface NetworkService {
  /** The helper's text and sudoers line for this host's user (the wizard shows them before installing). */
  helper(hostId: string): NetworkHelperText;
  status(hostId: string): Promise<NetworkHelperStatus>;
  /** Installs the helper and its sudoers rule with sudo (the password, when given, on stdin only). */
  install(hostId: string, sudoPassword?: string): Promise<NetworkHelperStatus>;
  /** Removes this user's rule, and the helper when no other user's rule names it. Refused while VM networks exist. */
  uninstall(hostId: string, sudoPassword?: string): Promise<NetworkHelperStatus>;
  /** Builds the VM's network (or returns it when it is already up). Call before Firecracker starts. */
  up(hostId: string, vmId: string): Promise<VmNetwork>;
  /** Removes the VM's network; `removed: false` when there was none (or no helper). */
  down(hostId: string, vmId: string): Promise<{ removed: boolean }>;
  list(hostId: string): Promise<HostNetworks>;
  /** Removes the networks of VMs not in `liveVmIds` (after a crash or a reboot); re-creates nothing. */
  repair(hostId: string, liveVmIds: readonly string[], spare?: () => ReadonlySet<string>): Promise<RepairReport>;
  /** Whether `pool` is usable and which routes of the connected hosts (with the helper) it overlaps. */
  checkPool(pool: string): Promise<PoolCheck>;
}

export interface NetworkServiceDeps {
  hosts: Pick<HostService, 'list' | 'connection'>;
  /** The address pool (default 10.231.0.0/16); read at each use so a settings change applies. */
  pool?: () => string;
  /** Per round trip (default 60 s). */
  timeoutMs?: number;
}

const RESOLV_CONF = '/etc/resolv.conf';
const RESOLVED_CONF = '/run/systemd/resolve/resolv.conf';
const UP_ATTEMPTS = 5;

interface HostState {
  uid: number;
  routes: string;
  dns: string[];
  used: Set<number>;
  entries: VmNetworkEntry[];
}

export function createNetworkService(deps: NetworkServiceDeps): NetworkService {
  const poolText = deps.pool ?? (() => DEFAULT_POOL);
  const timeoutMs = deps.timeoutMs ?? 60_000;
  const queues = new Map<string, SerialQueue>();
  /** Changes to one host's networks run one at a time (two `up`s would pick the same block). */
  const serial = <T>(hostId: string, work: () => Promise<T>) => {
    let queue = queues.get(hostId);
    if (!queue) queues.set(hostId, (queue = createSerialQueue()));
    return queue.run(work);
  };

  function target(hostId: string) {
    const host = deps.hosts.list().find((h) => h.id === hostId);
    if (!host) throw new AppError('NOT_FOUND', 'That host is not in Firedeck’s list any more.', { remedy: 'Reload the host list.' });
    const connection: HostConnection = deps.hosts.connection(hostId);
    return { host, connection, scripts: networkScripts(connection.name, host.user) };
  }

  async function status(hostId: string): Promise<NetworkHelperStatus> {
    const { host, connection, scripts } = target(hostId);
    const { output } = await runHostScript(connection, scripts.status, [HELPER_PATH, HELPER_SHA256, SUDOERS_DIR], { timeoutMs });
    const facts = keyValues(output);
    const fact = (key: string) => facts.get(key)?.at(-1);
    const base = { hostId, path: HELPER_PATH, sudoersPath: sudoersPath(host.user), sudoersInstalled: fact('sudoers') === 'yes' };
    const problem = (code: AppErrorShape['code'], message: string, remedy: string): NetworkHelperStatus => ({ ...base, installed: fact('installed') === 'yes', verified: false, problem: { code, message, remedy } });
    const install = 'Install it from Firedeck (Hosts → this host → Set up host → Network helper → Install); it needs sudo once.';
    if (fact('installed') !== 'yes') {
      return problem('HELPER_MISSING', `The network helper is not installed on ${connection.name}, so microVMs there start without a network.`, install);
    }
    if (fact('unsafe')) {
      return problem('HELPER_TAMPERED', `TAMPERED: the network helper on ${connection.name} or its folder can be changed by users other than root (${fact('unsafe')!.trim()}). Firedeck will not run it.`, 'Reinstall the helper from Firedeck, which makes it root’s alone again.');
    }
    if (fact('sha256') !== HELPER_SHA256) {
      return problem(
        'HELPER_TAMPERED',
        `TAMPERED: the network helper on ${connection.name} (${HELPER_PATH}) is not the file Firedeck installed (SHA-256 ${fact('sha256') || 'unreadable'}). Firedeck will not run it.`,
        'Only root can change that file: if you did not, find out who did. Then reinstall the helper from Firedeck, which puts the shipped text back, or uninstall it.',
      );
    }
    const version = fact('version');
    if (!version) {
      return problem('SUDO_REQUIRED', `sudo on ${connection.name} would not run the network helper without a password (${fact('sudo_error')?.trim() || 'no reason given'}).`, `Reinstall the helper from Firedeck: that writes the rule ${sudoersPath(host.user)} again.`);
    }
    if (version !== HELPER_VERSION) {
      return problem('HELPER_TAMPERED', `The network helper on ${connection.name} says it is version ${version}, not ${HELPER_VERSION}.`, 'Reinstall the helper from Firedeck.');
    }
    return { ...base, installed: true, verified: true, version };
  }

  async function readState(hostId: string): Promise<HostState> {
    const { connection, scripts } = target(hostId);
    const { output } = await runHostScript(connection, scripts.state, [HELPER_PATH, HELPER_SHA256, RESOLV_CONF, RESOLVED_CONF], { timeoutMs });
    const facts = keyValues(output);
    const uid = Number(facts.get('uid')?.at(-1));
    const pool = currentPool();
    const entries = (facts.get('vm') ?? []).map((rest): VmNetworkEntry => {
      const line = parseVmLine(`vm=${rest}`);
      const index = /^fdv(\d+)$/.exec(line.veth ?? '')?.[1];
      const number = index === undefined ? null : Number(index);
      return {
        vmId: line.vm!,
        netns: `fd${uid}-${line.vm}`,
        index: number,
        hostAddress: number !== null && number < pool.capacity ? blockAddresses(pool, number).vmAddress : null,
        complete: line.netns === 'yes' && line.rule === 'yes' && number !== null,
        vmDirExists: line.vm_dir === 'yes',
      };
    });
    return {
      uid,
      routes: facts.get('routes')?.at(-1) ?? '',
      dns: guestDnsServers(facts.get('resolv') ?? [], facts.get('resolved') ?? []),
      used: new Set((facts.get('index_used') ?? []).map(Number)),
      entries,
    };
  }

  function currentPool(): AddressPool {
    return parsePool(poolText());
  }

  function checkPool(pool: AddressPool, state: HostState, host: string): void {
    const conflicts = poolConflicts(pool, parseRoutes(state.routes));
    if (conflicts.length > 0) {
      throw new AppError('POOL_OVERLAP', `The network pool ${pool.cidr} overlaps ${conflicts.length === 1 ? 'a route' : 'routes'} of ${host}: ${conflicts.join(', ')}. No microVM there gets a network from it.`, {
        remedy: 'Choose a network pool the host does not route (Settings → Network), such as another 10.x.0.0/16.',
      });
    }
  }

  function describe(vmId: string, uid: number, netns: string, pool: AddressPool, index: number, dns: string[]): VmNetwork {
    const block = blockAddresses(pool, index);
    return { vmId, uid, netns, index, hostAddress: block.vmAddress, hostVethAddress: block.hostVethAddress, guestAddress: GUEST_ADDRESS, tap: TAP_NAME, mac: GUEST_MAC, dns, bootArgs: kernelIpArgument(dns) };
  }

  async function down(hostId: string, vmId: string): Promise<{ removed: boolean }> {
    const { connection, scripts } = target(hostId);
    const result = await runHostScript(connection, scripts.down, [HELPER_PATH, HELPER_SHA256, vmId], { timeoutMs });
    return { removed: result.outcome === 'ok' && /^removed=yes$/m.test(result.output) };
  }

  async function up(hostId: string, vmId: string): Promise<VmNetwork> {
    const { connection, scripts } = target(hostId);
    const pool = currentPool();
    for (let attempt = 1; ; attempt++) {
      const state = await readState(hostId);
      checkPool(pool, state, connection.name);
      const existing = state.entries.find((e) => e.vmId === vmId);
      if (existing?.complete && existing.index !== null && existing.index < pool.capacity) {
        return describe(vmId, state.uid, existing.netns, pool, existing.index, state.dns);
      }
      // Half of a network (a crash mid-way, or a pool changed since): take it down and build anew.
      if (existing) await down(hostId, vmId);
      const index = freeIndex(pool, state.used);
      if (index === null) {
        throw new AppError('POOL_EXHAUSTED', `All ${pool.capacity} address blocks of the network pool ${pool.cidr} are in use on ${connection.name} (one per microVM with a network).`, {
          remedy: 'Delete microVMs you no longer need, or choose a larger pool in Settings → Network.',
        });
      }
      const result = await runHostScript(connection, scripts.up, [HELPER_PATH, HELPER_SHA256, vmId, index, pool.cidr], { timeoutMs });
      if (result.outcome === 'ok') {
        const netns = keyValues(result.output).get('netns')?.at(-1) ?? `fd${state.uid}-${vmId}`;
        return describe(vmId, state.uid, netns, pool, index, state.dns);
      }
      // Another user (or a network left by a VM still running) took the block, or this VM's
      // network appeared meanwhile: read the host again.
      if (attempt >= UP_ATTEMPTS) {
        throw new AppError('CONFLICT', `The network of ${vmId} on ${connection.name} could not get an address block: other networks kept taking them.`, { remedy: 'Try again.' });
      }
    }
  }

  return {
    helper: (hostId) => describeHelper(target(hostId).host.user),
    status,
    install: (hostId, sudoPassword) =>
      serial(hostId, async () => {
        const { connection, scripts } = target(hostId);
        await runHostScript(connection, scripts.install, [sudoPassword === undefined ? 'passwordless' : 'password', HELPER_PATH, HELPER_SHA256, HELPER_TEXT, SUDOERS_DIR], {
          timeoutMs,
          ...(sudoPassword === undefined ? {} : { stdin: `${sudoPassword}\n` }),
        });
        return status(hostId);
      }),
    uninstall: (hostId, sudoPassword) =>
      serial(hostId, async () => {
        const { connection, scripts } = target(hostId);
        const current = await status(hostId);
        if (current.verified) {
          const inUse = (await readState(hostId)).entries.map((e) => e.vmId);
          if (inUse.length > 0) {
            throw new AppError('CONFLICT', `${inUse.length === 1 ? 'The microVM' : 'The microVMs'} ${inUse.join(', ')} still ${inUse.length === 1 ? 'has a network' : 'have networks'} on ${connection.name}; without the helper nothing could remove ${inUse.length === 1 ? 'it' : 'them'}.`, {
              remedy: 'Delete those microVMs (or repair the host’s networks) first, then uninstall the helper.',
            });
          }
        }
        await runHostScript(connection, scripts.uninstall, [sudoPassword === undefined ? 'passwordless' : 'password', HELPER_PATH, SUDOERS_DIR], {
          timeoutMs,
          ...(sudoPassword === undefined ? {} : { stdin: `${sudoPassword}\n` }),
        });
        return status(hostId);
      }),
    up: (hostId, vmId) => serial(hostId, () => up(hostId, vmId)),
    down: (hostId, vmId) => serial(hostId, () => down(hostId, vmId)),
    async list(hostId) {
      const helper = await status(hostId);
      const pool = currentPool();
      const empty = { hostId, helper, pool: pool.cidr, capacity: pool.capacity, used: 0, poolConflicts: [], dns: [], networks: [] };
      if (!helper.verified) return empty;
      const state = await readState(hostId);
      return { ...empty, used: state.used.size, poolConflicts: poolConflicts(pool, parseRoutes(state.routes)), dns: state.dns, networks: state.entries };
    },
    async checkPool(cidr) {
      let pool: AddressPool;
      try {
        pool = parsePool(cidr);
      } catch (error) {
        return { pool: cidr, invalid: (error as Error).message, conflicts: [] };
      }
      const connected = deps.hosts.list().filter((h) => h.connection.state === 'connected');
      const conflicts = await Promise.all(
        connected.map(async (host) => {
          const state = await readState(host.id).catch(() => null);
          return { hostId: host.id, label: host.label, routes: state ? poolConflicts(pool, parseRoutes(state.routes)) : [] };
        }),
      );
      return { pool: pool.cidr, capacity: pool.capacity, conflicts: conflicts.filter((c) => c.routes.length > 0) };
    },
    repair: (hostId, liveVmIds, spare) =>
      serial(hostId, async () => {
        const state = await readState(hostId).catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'HELPER_MISSING') return error;
          throw error;
        });
        if (state instanceof AppError) return { removed: [], skipped: state.toShape() };
        // Asked now, in this host's queue, where no VM's network can come up meanwhile: a VM whose
        // start began after `liveVmIds` was read is not in it, and its network is not left over.
        const spared = spare?.() ?? new Set<string>();
        const live = new Set(liveVmIds);
        const removed: string[] = [];
        for (const entry of state.entries.filter((e) => !live.has(e.vmId) && !spared.has(e.vmId))) {
          await down(hostId, entry.vmId);
          removed.push(entry.vmId);
        }
        return { removed };
      }),
  };
}
