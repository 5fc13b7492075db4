import { posix } from 'node:path';
import type { HostSummary } from '../../shared/channels/hosts.js';
import type { VmCreateRequest, VmSnapshot, VmSummary } from '../../shared/channels/vms.js';
import { AppError } from '../app-error.js';
import type { ResourceHandle, ResourceRegistry } from '../app/resources.js';
import type { EventBus } from '../event-bus.js';
import type { FirecrackerClient } from '../firecracker/client.js';
import type { HostContext, HostService } from '../hosts/host-service.js';
import type { Caller } from '../router.js';
import type { NetworkService } from '../network/network-service.js';
import { vmNetworkFacts } from '../network/vm-network-facts.js';
import { runHostScript } from '../ssh/host-script.js';
import { runSteps } from '../steps/step-runner.js';
import type { Step } from '../steps/step-runner.js';
import type { JailSettings } from '../../shared/channels/jail.js';
import { jailFromLine } from '../jail/jail-facts.js';
import { exportJailSnapshot, prepareJailSnapshot } from '../jail/jail-snapshots.js';
import { stopJail } from '../jail/jail-steps.js';
import { createVmClients } from './vm-clients.js';
import type { VmHost } from './vm-clients.js';
import { openConsole } from './vm-console.js';
import type { ConsoleSession } from './vm-console.js';
import { parseDiscovery, vmDiscover } from './vm-discovery.js';
import type { DiscoveredVm } from './vm-discovery.js';
import { vmPaths, vmsDir } from './vm-paths.js';
import { vmKill, vmSnapshotDelete, vmSnapshotDir, vmSnapshotDisk, vmSnapshotSource, vmSnapshotsList } from './vm-scripts.js';
import { bootSteps, restoreSteps, rollbackSteps } from './vm-start-steps.js';
import type { VmStarts } from './vm-starts.js';
import type { VmStartContext } from './vm-start-steps.js';

export interface VmRef {
  hostId: string;
  id: string;
}

export interface VmService {
  /** Reads every connected host (in parallel) and returns the whole list. */
  list(): Promise<VmSummary[]>;
  create(request: VmCreateRequest): Promise<VmSummary>;
  pause(ref: VmRef): Promise<VmSummary>;
  resume(ref: VmRef): Promise<VmSummary>;
  stop(ref: VmRef): Promise<VmSummary>;
  kill(ref: VmRef): Promise<VmSummary>;
  remove(ref: VmRef): Promise<boolean>;
  /** Snapshot `name` (default: from the time) of a running or paused VM, which is left as it was. */
  snapshot(ref: VmRef, name?: string): Promise<{ snapshotDir: string; snapshot: VmSnapshot }>;
  snapshots(ref: VmRef): Promise<VmSnapshot[]>;
  snapshotDelete(ref: VmRef, name: string): Promise<boolean>;
  /** A new VM from snapshot `name` (default: the newest), with its own copy of the snapshot's disk. */
  restore(ref: VmRef, newId: string, name?: string): Promise<VmSummary>;
  /** The VM's disk and memory replaced by snapshot `name`'s, in its own run directory. */
  rollback(ref: VmRef, name: string): Promise<VmSummary>;
  getConfig(ref: VmRef): Promise<Record<string, unknown>>;
  /** Opens a console owned by `caller`: it closes when the caller's window goes away. */
  consoleOpen(ref: VmRef, caller: Caller): Promise<{ sessionId: string }>;
  consoleInput(sessionId: string, data: string, caller: Caller): number;
  consoleClose(sessionId: string, caller: Caller): boolean;
  close(): Promise<void>;
}

/**
 * A console without a keystroke or a byte of output for this long is closed (the page offers
 * Reconnect). Consoles also close when the window that opened them goes away, and a window has
 * at most one console per microVM: opening another replaces it.
 */
const CONSOLE_IDLE_MS = 15 * 60_000;

export function createVmService(deps: {
  hosts: HostService;
  events: EventBus;
  resources: ResourceRegistry;
  /** Guest networking; without it VMs start without a network. */
  network?: NetworkService;
  /** How long a guest gets to shut down after Ctrl+Alt+Del before it is killed. */
  stopTimeoutMs?: number;
  /** How often the list is refreshed from the hosts while any is connected; 0 turns polling off. */
  pollMs?: number;
  /** How long a console may go without input or output before it is closed. */
  consoleIdleMs?: number;
  /** How VMs are jailed where the host allows it (Settings → Jail); defaults when absent. */
  jailSettings?: () => Promise<JailSettings>;
  /** Where each start is marked in flight, so the network repair on connect spares it. */
  starts?: Pick<VmStarts, 'begin'>;
  now?: () => Date;
}): VmService {
  const { hosts, events } = deps;
  const now = deps.now ?? (() => new Date());
  const stopTimeoutMs = deps.stopTimeoutMs ?? 10_000;
  const clients = createVmClients({ noteTransport: (hostId, inUse, reason) => hosts.noteApiTransport(hostId, inUse, reason) });
  const known = new Map<string, VmSummary>();
  /** When each host last answered a listing, for VMs shown while it cannot be asked. */
  const lastSeen = new Map<string, string>();
  /** The console each window has open per VM (owner/host/id → handle). */
  const consoles = new Map<string, ResourceHandle>();
  const key = (ref: VmRef) => `${ref.hostId}/${ref.id}`;

  const vmHost = (ctx: HostContext): VmHost => ({
    hostId: ctx.host.id,
    label: ctx.host.label,
    address: ctx.host.address,
    transport: ctx.host.transport,
    connection: ctx.connection,
    firedeckDir: ctx.probe.firedeckDir,
  });
  const dirOf = (ctx: HostContext, id: string) => vmPaths(ctx.probe.firedeckDir, id).dir;

  async function describe(ctx: HostContext, found: DiscoveredVm): Promise<VmSummary> {
    const config = (found.config ?? {}) as Partial<VmCreateRequest>;
    const base: VmSummary = {
      hostId: ctx.host.id,
      id: found.id,
      ...(typeof config.name === 'string' && config.name ? { name: config.name } : {}),
      state: found.stopped ? 'stopped' : 'exited',
      vcpus: typeof config.vcpus === 'number' ? config.vcpus : 0,
      memoryMib: typeof config.memoryMib === 'number' ? config.memoryMib : 0,
      kernel: typeof config.kernel === 'string' ? config.kernel : '',
      rootfs: typeof config.rootfs === 'string' ? config.rootfs : '',
      ...(found.disk && typeof config.rootfs === 'string'
        ? { image: { name: posix.basename(config.rootfs), path: config.rootfs, sha256: found.disk.imageSha256 }, diskBytes: found.disk.bytes }
        : {}),
      ...(found.startedAt ? { startedAt: found.startedAt } : {}),
      jail: jailFromLine(found.jail),
      ...vmNetworkFacts(found.config, found.alive),
    };
    if (!found.alive) {
      await clients.drop({ hostId: ctx.host.id, id: found.id });
      // A dead VM's LAN bridge would otherwise listen until the VM is deleted.
      if (found.bridgePort !== undefined) await runHostScript(ctx.connection, vmKill, [dirOf(ctx, found.id), 'bridge'], { timeoutMs: 15_000 }).catch(() => {});
      return found.stopped ? base : { ...base, lastLog: found.lastLog ?? [] };
    }
    try {
      const client = await clients.clientFor(vmHost(ctx), found.id, found.bridgePort);
      const info = await client.describeInstance({ timeoutMs: 5_000 });
      const state = info.state === 'Running' ? 'running' : info.state === 'Paused' ? 'paused' : 'starting';
      return { ...base, state, firecrackerVersion: info.vmm_version };
    } catch {
      await clients.drop({ hostId: ctx.host.id, id: found.id });
      return { ...base, state: 'unknown' };
    }
  }

  /** The host's VMs, or only the one named (an action reads its VM, not the host's every VM). */
  async function discover(ctx: HostContext, id?: string): Promise<DiscoveredVm[]> {
    const result = await runHostScript(ctx.connection, vmDiscover, [vmsDir(ctx.probe.firedeckDir), ...(id ? [id] : [])], { timeoutMs: 30_000 });
    lastSeen.set(ctx.host.id, now().toISOString());
    return parseDiscovery(result.output);
  }

  async function listHost(hostId: string): Promise<VmSummary[]> {
    const ctx = await hosts.context(hostId);
    return Promise.all((await discover(ctx)).map((found) => describe(ctx, found)));
  }

  function put(summary: VmSummary) {
    const previous = known.get(key(summary));
    known.set(key(summary), summary);
    if (JSON.stringify(previous) !== JSON.stringify(summary)) events.emit('vms.changed', summary);
  }

  function forget(ref: VmRef) {
    if (known.delete(key(ref))) events.emit('vms.removed', { hostId: ref.hostId, id: ref.id });
  }

  /** The whole truth about the hosts in `hostIds`: VMs no longer there are removed. */
  function publish(hostIds: string[], summaries: VmSummary[]) {
    const seen = new Set(summaries.map(key));
    for (const summary of summaries) put(summary);
    for (const [k, summary] of known) if (hostIds.includes(summary.hostId) && !seen.has(k)) forget(summary);
  }

  /** The VMs of a host that cannot be asked keep their last known state, marked with when and why. */
  function markOffline(hostId: string, problem: { message: string; remedy?: string }) {
    const lastSeenAt = lastSeen.get(hostId);
    for (const summary of [...known.values()]) {
      if (summary.hostId !== hostId) continue;
      put({ ...summary, offline: { lastSeenAt: lastSeenAt ?? summary.offline?.lastSeenAt ?? now().toISOString(), message: problem.message, ...(problem.remedy ? { remedy: problem.remedy } : {}) } });
    }
  }

  function hostProblem(host: HostSummary): { message: string; remedy?: string } | null {
    const state = host.connection;
    if (state.state === 'connected') return null;
    if (state.state === 'reconnecting') return { message: `${host.label} cannot be reached: ${state.error.message}`, remedy: 'Firedeck reconnects on its own; until then this is the last state seen.' };
    if (state.state === 'failed') return { message: `${host.label} is not connected: ${state.error.message}`, remedy: state.error.remedy ?? 'Connect it again from the Hosts view.' };
    return { message: `${host.label} is not connected.`, remedy: 'Connect it to see and manage its microVMs.' };
  }

  const unsubscribe = events.subscribe((event, payload) => {
    if (event === 'hosts.changed') {
      const host = payload as HostSummary;
      const problem = hostProblem(host);
      if (problem) markOffline(host.id, problem);
      else if ([...known.values()].some((vm) => vm.hostId === host.id && vm.offline)) void refresh().catch(() => {});
    } else if (event === 'hosts.removed') {
      const { id } = payload as { id: string };
      for (const summary of [...known.values()]) if (summary.hostId === id) forget(summary);
      lastSeen.delete(id);
    }
  });

  let refreshing: Promise<VmSummary[]> | undefined;
  function refresh(): Promise<VmSummary[]> {
    refreshing ??= (async () => {
      const connected = hosts.list().filter((h) => h.connection.state === 'connected');
      const perHost = await Promise.all(connected.map((h) => listHost(h.id).catch((error: unknown) => error as Error)));
      const reachable: string[] = [];
      connected.forEach((host, i) => {
        const result = perHost[i];
        if (Array.isArray(result)) reachable.push(host.id);
        else markOffline(host.id, { message: `${host.label} did not answer: ${result?.message ?? 'no reason given'}`, remedy: result instanceof AppError ? result.remedy : undefined });
      });
      publish(reachable, perHost.filter((r): r is VmSummary[] => Array.isArray(r)).flat());
      // VMs of hosts that are not reachable right now stay listed with their last known state.
      return [...known.values()];
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  /** Reads one VM again (only it: a host with many VMs is not described whole per action). */
  async function one(ref: VmRef, ctx?: HostContext): Promise<VmSummary> {
    const context = ctx ?? (await hosts.context(ref.hostId));
    const found = (await discover(context, ref.id)).find((vm) => vm.id === ref.id);
    if (!found) {
      forget(ref);
      throw new AppError('NOT_FOUND', `There is no microVM ${ref.id} on this host any more.`, { remedy: 'Refresh the list.' });
    }
    const summary = await describe(context, found);
    put(summary);
    return summary;
  }

  async function liveClient(ref: VmRef): Promise<{ ctx: HostContext; client: FirecrackerClient }> {
    const ctx = await hosts.context(ref.hostId);
    const found = (await discover(ctx, ref.id)).find((vm) => vm.id === ref.id);
    if (!found) throw new AppError('NOT_FOUND', `There is no microVM ${ref.id} on this host.`, { remedy: 'Refresh the list.' });
    if (!found.alive) throw new AppError('VM_NOT_RUNNING', `${ref.id} is not running.`, { remedy: 'Its console log shows why it stopped.' });
    return { ctx, client: await clients.clientFor(vmHost(ctx), ref.id, found.bridgePort) };
  }

  /** Waits until the VM's API stops answering (its process exited), at most `ms`. */
  async function exited(client: FirecrackerClient, ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      const answering = await client.describeInstance({ timeoutMs: Math.max(500, deadline - Date.now()) }).then(() => true, () => false);
      if (!answering) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function start(request: VmCreateRequest, variant: readonly Step<VmStartContext>[], snapshot?: VmStartContext['snapshot']): Promise<VmSummary> {
    const ended = deps.starts?.begin(request.hostId, request.id);
    try {
      return await startSteps(request, variant, snapshot);
    } finally {
      ended?.();
    }
  }

  async function startSteps(request: VmCreateRequest, variant: readonly Step<VmStartContext>[], snapshot?: VmStartContext['snapshot']): Promise<VmSummary> {
    const ctx = await hosts.context(request.hostId);
    if (!ctx.probe.firecracker.present || !ctx.probe.firecracker.path) {
      throw new AppError('FIRECRACKER_MISSING', `Firecracker is not installed on ${ctx.host.label}.`, { remedy: 'Run the host setup wizard to install it.' });
    }
    const context: VmStartContext = {
      request,
      connection: ctx.connection,
      hostArch: ctx.probe.arch,
      hostName: ctx.host.label,
      availableMemoryMib: ctx.probe.memoryMiB.available,
      firecrackerBinary: ctx.probe.firecracker.path,
      ...(ctx.probe.jailer.path ? { jailerBinary: ctx.probe.jailer.path } : {}),
      ...(deps.jailSettings ? { jailSettings: await deps.jailSettings() } : {}),
      paths: vmPaths(ctx.probe.firedeckDir, request.id),
      ...(deps.network ? { network: deps.network } : {}),
      openClient: () => clients.clientFor(vmHost(ctx), request.id),
      closeClient: () => clients.closeApi(vmHost(ctx), request.id),
      ...(snapshot ? { snapshot } : {}),
    };
    await runSteps(variant, context, (step, status) => events.emit('vms.stepProgressed', { hostId: request.hostId, id: request.id, step: step.name, status }));
    return one(request, ctx);
  }

  async function listSnapshots(ctx: HostContext, id: string): Promise<VmSnapshot[]> {
    const listed = await runHostScript(ctx.connection, vmSnapshotsList, [dirOf(ctx, id)], { timeoutMs: 30_000 });
    return listed.output
      .split('\n')
      .map((line) => line.split('\t'))
      .filter((fields) => fields.length === 4)
      .map(([name, createdAt, kib, disk]) => ({ name: name!, createdAt: createdAt!, sizeBytes: Number(kib) * 1024, hasDisk: disk === 'yes' }))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The configuration the VM was made with, read beside its snapshot `name`. */
  async function snapshotSource(ctx: HostContext, ref: VmRef, name: string | undefined): Promise<{ original: VmCreateRequest; snapshot: NonNullable<VmStartContext['snapshot']> }> {
    const chosen = name ?? (await listSnapshots(ctx, ref.id))[0]?.name;
    if (!chosen) throw new AppError('NOT_FOUND', `${ref.id} has no snapshot yet.`, { remedy: 'Create a snapshot of it first.' });
    const source = vmPaths(ctx.probe.firedeckDir, ref.id);
    const read = await runHostScript(ctx.connection, vmSnapshotSource, [source.dir, chosen], { timeoutMs: 15_000 });
    if (read.outcome === 'no-snapshot') throw new AppError('NOT_FOUND', `${ref.id} has no snapshot named ${chosen}.`, { remedy: 'Refresh its page: the snapshot may have been deleted.' });
    let original: VmCreateRequest | undefined;
    try {
      original = read.outcome === 'ok' ? (JSON.parse(read.output) as VmCreateRequest) : undefined;
    } catch {
      // handled below
    }
    if (!original) throw new AppError('NOT_FOUND', `${ref.id} has no readable configuration to restore from.`);
    const dir = `${source.snapshotsDir}/${chosen}`;
    return { original, snapshot: { sourceDir: source.dir, name: chosen, statePath: `${dir}/state`, memPath: `${dir}/mem` } };
  }

  function registerConsole(ref: VmRef, caller: Caller, session: ConsoleSession, registered: { handle?: ResourceHandle }) {
    const slot = `${caller.ownerId}/${key(ref)}`;
    consoles.get(slot)?.release('replaced by a new console for this microVM');
    const handle = deps.resources.add(caller.ownerId, 'console', session, { idleMs: deps.consoleIdleMs ?? CONSOLE_IDLE_MS });
    registered.handle = handle;
    consoles.set(slot, handle);
    return { handle, slot };
  }

  /** Ends what is left of a VM (jail, processes, API client, network) and marks it stopped. */
  async function stopped(ctx: HostContext, ref: VmRef): Promise<VmSummary> {
    await stopJail(ctx.connection, dirOf(ctx, ref.id), ref.id);
    await runHostScript(ctx.connection, vmKill, [dirOf(ctx, ref.id), 'stop'], { timeoutMs: 15_000 });
    await clients.drop(ref);
    await deps.network?.down(ref.hostId, ref.id);
    return one(ref, ctx);
  }

  const poll = deps.pollMs ?? 3_000;
  const timer = poll > 0 ? setInterval(() => void refresh().catch(() => {}), poll) : undefined;
  timer?.unref();

  return {
    list: refresh,
    create: (request) => start(request, bootSteps),
    async pause(ref) {
      const { ctx, client } = await liveClient(ref);
      await client.patchVm('Paused');
      return one(ref, ctx);
    },
    async resume(ref) {
      const { ctx, client } = await liveClient(ref);
      await client.patchVm('Resumed');
      return one(ref, ctx);
    },
    async stop(ref) {
      const { ctx, client } = await liveClient(ref);
      // Only x86_64 guests take Ctrl+Alt+Del; on aarch64 Firecracker has no such action. Waiting
      // is done through the API, so it holds no SSH session while the guest shuts down.
      await runHostScript(ctx.connection, vmKill, [dirOf(ctx, ref.id), 'intend-stop'], { timeoutMs: 15_000 });
      if (ctx.probe.arch === 'x86_64' && (await client.action('SendCtrlAltDel').then(() => true, () => false))) await exited(client, stopTimeoutMs);
      return stopped(ctx, ref);
    },
    async kill(ref) {
      const ctx = await hosts.context(ref.hostId);
      return stopped(ctx, ref);
    },
    async remove(ref) {
      const ctx = await hosts.context(ref.hostId);
      await clients.drop(ref);
      await stopJail(ctx.connection, dirOf(ctx, ref.id), ref.id);
      await runHostScript(ctx.connection, vmKill, [dirOf(ctx, ref.id), 'delete'], { timeoutMs: 30_000 });
      forget(ref);
      await deps.network?.down(ref.hostId, ref.id);
      return true;
    },
    async snapshot(ref, name) {
      const { ctx, client } = await liveClient(ref);
      const paths = vmPaths(ctx.probe.firedeckDir, ref.id);
      const createdAt = now();
      const snapshotName = name ?? `snap-${createdAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
      const dir = `${paths.snapshotsDir}/${snapshotName}`;
      const made = await runHostScript(ctx.connection, vmSnapshotDir, [paths.dir, snapshotName], { timeoutMs: 15_000 });
      if (made.outcome === 'exists') throw new AppError('CONFLICT', `${ref.id} already has a snapshot named ${snapshotName}.`, { remedy: 'Choose another name, or delete that snapshot first.' });
      let wasRunning = false;
      let failure: unknown;
      let kib = 0;
      try {
        wasRunning = (await client.describeInstance()).state === 'Running';
        if (wasRunning) await client.patchVm('Paused'); // Firecracker snapshots only a paused VM
        await prepareJailSnapshot(ctx.connection, paths.dir, ref.id, snapshotName);
        await client.createSnapshot({ snapshot_path: `${dir}/state`, mem_file_path: `${dir}/mem` }, { timeoutMs: 120_000 });
        await exportJailSnapshot(ctx.connection, paths.dir, ref.id, snapshotName);
        // The disk is copied while the guest is still paused, so it matches the memory just saved.
        kib = Number((await runHostScript(ctx.connection, vmSnapshotDisk, [paths.dir, snapshotName, createdAt.toISOString()], { timeoutMs: 30 * 60_000 })).output.trim());
      } catch (error) {
        failure = error;
      }
      // Resume even after a failed snapshot, and do not let a failed resume hide why the snapshot failed.
      const resumed = wasRunning ? await client.patchVm('Resumed').then(() => null, (error: unknown) => error) : null;
      if (failure) {
        // Nothing half-made is kept: the name stays free for another try.
        await runHostScript(ctx.connection, vmSnapshotDelete, [paths.dir, snapshotName], { timeoutMs: 30_000 }).catch(() => {});
        throw failure;
      }
      if (resumed) {
        throw new AppError('VM_LEFT_PAUSED', `The snapshot was written, but ${ref.id} could not be resumed: ${(resumed as Error).message}`, { remedy: 'Resume it from its page.' });
      }
      await one(ref, ctx);
      return { snapshotDir: dir, snapshot: { name: snapshotName, createdAt: createdAt.toISOString(), sizeBytes: kib * 1024, hasDisk: true } };
    },
    async snapshots(ref) {
      return listSnapshots(await hosts.context(ref.hostId), ref.id);
    },
    async snapshotDelete(ref, name) {
      const ctx = await hosts.context(ref.hostId);
      const removed = await runHostScript(ctx.connection, vmSnapshotDelete, [dirOf(ctx, ref.id), name], { timeoutMs: 60_000 });
      return removed.outcome !== 'missing';
    },
    async restore(ref, newId, name) {
      const ctx = await hosts.context(ref.hostId);
      const { original, snapshot } = await snapshotSource(ctx, ref, name);
      return start({ ...original, hostId: ref.hostId, id: newId }, restoreSteps, snapshot);
    },
    async rollback(ref, name) {
      const ctx = await hosts.context(ref.hostId);
      const { original, snapshot } = await snapshotSource(ctx, ref, name);
      // Firecracker holds the disk open: it goes first, then the disk is replaced and the snapshot loaded.
      await clients.drop(ref);
      await stopJail(ctx.connection, dirOf(ctx, ref.id), ref.id);
      await runHostScript(ctx.connection, vmKill, [dirOf(ctx, ref.id), 'vm'], { timeoutMs: 30_000 });
      return start({ ...original, hostId: ref.hostId, id: ref.id }, rollbackSteps, snapshot);
    },
    async getConfig(ref) {
      return (await (await liveClient(ref)).client.getVmConfig()) as Record<string, unknown>;
    },
    async consoleOpen(ref, caller) {
      const ctx = await hosts.context(ref.hostId);
      // Filled once the console is registered; its channel delivers data only in later I/O turns.
      const registered: { handle?: ResourceHandle; slot?: string } = {};
      const session = await openConsole(ctx.connection, vmPaths(ctx.probe.firedeckDir, ref.id), {
        onData: (data) => {
          registered.handle?.touch();
          events.emit('vms.consoleOutput', { sessionId: registered.handle?.id ?? '', data });
        },
        onState: (state, message) => events.emit('vms.consoleStateChanged', { sessionId: registered.handle?.id ?? '', state, message }),
        onClose: (reason) => {
          if (registered.slot && consoles.get(registered.slot) === registered.handle) consoles.delete(registered.slot);
          registered.handle?.release(reason);
          events.emit('vms.consoleClosed', { sessionId: registered.handle?.id ?? '', reason });
        },
      });
      const { handle, slot } = registerConsole(ref, caller, session, registered);
      registered.slot = slot;
      return { sessionId: handle.id };
    },
    consoleInput(sessionId, data, caller) {
      const session = deps.resources.get<ConsoleSession>(sessionId, caller.ownerId);
      if (!session) throw new AppError('NOT_FOUND', 'This console is closed.', { remedy: 'Open the console again.' });
      // Typing is use, even when the guest echoes nothing.
      [...consoles.values()].find((handle) => handle.id === sessionId)?.touch();
      if (!session.write(data)) throw new AppError('CONSOLE_UNAVAILABLE', 'The console is reconnecting to the host; what you typed was not sent.', { remedy: 'Type it again once the console says it is connected.' });
      return data.length;
    },
    consoleClose(sessionId, caller) {
      const session = deps.resources.get<ConsoleSession>(sessionId, caller.ownerId);
      session?.close('closed by the user');
      return session !== undefined;
    },
    async close() {
      if (timer) clearInterval(timer);
      unsubscribe();
      await clients.closeAll();
    },
  };
}
