import type { VmCreateRequest, VmSummary } from '../../shared/channels/vms.js';
import { AppError } from '../app-error.js';
import type { EventBus } from '../event-bus.js';
import type { FirecrackerClient } from '../firecracker/client.js';
import type { HostContext, HostService } from '../hosts/host-service.js';
import { shq } from '../ssh/shell-quote.js';
import type { ResourceHandle, ResourceRegistry } from '../app/resources.js';
import type { Caller } from '../router.js';
import { runSteps } from '../steps/step-runner.js';
import { openConsole } from './vm-console.js';
import type { ConsoleSession } from './vm-console.js';
import { createVmClients } from './vm-clients.js';
import { deleteScript, discoveryScript, markStoppedScript, parseDiscovery, vmPaths, waitExitScript } from './vm-host-scripts.js';
import type { DiscoveredVm } from './vm-host-scripts.js';
import { bootSteps, restoreSteps } from './vm-start-steps.js';
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
  snapshot(ref: VmRef): Promise<{ snapshotDir: string }>;
  restore(ref: VmRef, newId: string): Promise<VmSummary>;
  getConfig(ref: VmRef): Promise<Record<string, unknown>>;
  /** Opens a console owned by `caller`: it closes when the caller's window goes away. */
  consoleOpen(ref: VmRef, caller: Caller): Promise<{ sessionId: string }>;
  consoleInput(sessionId: string, data: string, caller: Caller): number;
  consoleClose(sessionId: string, caller: Caller): boolean;
  close(): Promise<void>;
}

/** A console nobody typed into or received output from for this long is closed. */
const CONSOLE_IDLE_MS = 15 * 60_000;

export function createVmService(deps: {
  hosts: HostService;
  events: EventBus;
  resources: ResourceRegistry;
  /** How long a guest gets to shut down after Ctrl+Alt+Del before it is killed. */
  stopTimeoutMs?: number;
  /** How often the list is refreshed from the hosts while any is connected; 0 turns polling off. */
  pollMs?: number;
}): VmService {
  const { hosts, events } = deps;
  const clients = createVmClients();
  const known = new Map<string, VmSummary>();
  const key = (ref: VmRef) => `${ref.hostId}/${ref.id}`;

  const hostContext = (hostId: string): Promise<HostContext> => hosts.context(hostId);

  const clientFor = (ctx: HostContext, id: string, bridgePort?: number) =>
    clients.clientFor({ hostId: ctx.host.id, label: ctx.host.label, address: ctx.host.address, transport: ctx.host.transport, connection: ctx.connection, firedeckDir: ctx.probe.firedeckDir }, id, bridgePort);
  const dropClient = (ref: VmRef) => clients.drop(ref);

  async function describe(ctx: HostContext, found: DiscoveredVm): Promise<VmSummary> {
    const config = (found.config ?? {}) as Partial<VmCreateRequest>;
    const base: VmSummary = {
      hostId: ctx.host.id,
      id: found.id,
      ...(config.name ? { name: config.name } : {}),
      state: found.stopped ? 'stopped' : 'exited',
      vcpus: config.vcpus ?? 0,
      memoryMib: config.memoryMib ?? 0,
      kernel: config.kernel ?? '',
      rootfs: config.rootfs ?? '',
      ...(found.startedAt ? { startedAt: found.startedAt } : {}),
    };
    if (!found.alive) {
      await dropClient({ hostId: ctx.host.id, id: found.id });
      return found.stopped ? base : { ...base, lastLog: found.lastLog ?? [] };
    }
    try {
      const client = await clientFor(ctx, found.id, found.bridgePort);
      const info = await client.describeInstance({ timeoutMs: 5_000 });
      const state = info.state === 'Running' ? 'running' : info.state === 'Paused' ? 'paused' : 'starting';
      return { ...base, state, firecrackerVersion: info.vmm_version };
    } catch {
      await dropClient({ hostId: ctx.host.id, id: found.id });
      return { ...base, state: 'unknown' };
    }
  }

  async function listHost(hostId: string): Promise<VmSummary[]> {
    const ctx = await hostContext(hostId);
    const result = await ctx.connection.exec(discoveryScript(ctx.probe.firedeckDir), { timeoutMs: 30_000 });
    return Promise.all(parseDiscovery(result.output).map((found) => describe(ctx, found)));
  }

  function publish(hostIds: string[], summaries: VmSummary[]) {
    const seen = new Set(summaries.map(key));
    for (const summary of summaries) {
      const previous = known.get(key(summary));
      known.set(key(summary), summary);
      if (JSON.stringify(previous) !== JSON.stringify(summary)) events.emit('vms.changed', summary);
    }
    for (const [k, summary] of known) {
      if (hostIds.includes(summary.hostId) && !seen.has(k)) {
        known.delete(k);
        events.emit('vms.removed', { hostId: summary.hostId, id: summary.id });
      }
    }
  }

  let refreshing: Promise<VmSummary[]> | undefined;
  function refresh(): Promise<VmSummary[]> {
    refreshing ??= (async () => {
      const connected = hosts.list().filter((h) => h.connection.state === 'connected').map((h) => h.id);
      const perHost = await Promise.all(connected.map((id) => listHost(id).catch(() => null)));
      const reachable = connected.filter((_, i) => perHost[i] !== null);
      publish(reachable, perHost.flatMap((list) => list ?? []));
      // VMs of hosts that are not reachable right now stay listed with their last known state.
      return [...known.values()];
    })().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  async function one(ref: VmRef): Promise<VmSummary> {
    const list = await listHost(ref.hostId);
    publish([ref.hostId], list);
    const summary = list.find((vm) => vm.id === ref.id);
    if (!summary) throw new AppError('NOT_FOUND', `There is no microVM ${ref.id} on this host any more.`, { remedy: 'Refresh the list.' });
    return summary;
  }

  async function liveClient(ref: VmRef): Promise<{ ctx: HostContext; client: FirecrackerClient }> {
    const ctx = await hostContext(ref.hostId);
    const found = parseDiscovery((await ctx.connection.exec(discoveryScript(ctx.probe.firedeckDir), { timeoutMs: 30_000 })).output).find((vm) => vm.id === ref.id);
    if (!found) throw new AppError('NOT_FOUND', `There is no microVM ${ref.id} on this host.`, { remedy: 'Refresh the list.' });
    if (!found.alive) throw new AppError('VM_NOT_RUNNING', `${ref.id} is not running.`, { remedy: 'Its console log shows why it stopped.' });
    return { ctx, client: await clientFor(ctx, ref.id, found.bridgePort) };
  }

  async function start(request: VmCreateRequest, variant: typeof bootSteps, snapshot?: VmStartContext['snapshot']): Promise<VmSummary> {
    const ctx = await hostContext(request.hostId);
    if (!ctx.probe.firecracker.present || !ctx.probe.firecracker.path) {
      throw new AppError('FIRECRACKER_MISSING', `Firecracker is not installed on ${ctx.host.label}.`, { remedy: 'Run the host setup wizard to install it.' });
    }
    const paths = vmPaths(ctx.probe.firedeckDir, request.id);
    const context: VmStartContext = {
      request,
      connection: ctx.connection,
      hostArch: ctx.probe.arch,
      hostName: ctx.host.label,
      availableMemoryMib: ctx.probe.memoryMiB.available,
      firecrackerBinary: ctx.probe.firecracker.path,
      paths,
      openClient: () => clientFor(ctx, request.id),
      ...(snapshot ? { snapshot } : {}),
    };
    try {
      await runSteps(variant, context, (step, status) => events.emit('vms.stepProgressed', { hostId: request.hostId, id: request.id, step: step.name, status }));
    } catch (error) {
      await dropClient(request);
      throw error;
    }
    return one(request);
  }

  const poll = deps.pollMs ?? 3_000;
  const timer = poll > 0 ? setInterval(() => void refresh().catch(() => {}), poll) : undefined;
  timer?.unref();

  return {
    list: refresh,
    create: (request) => start(request, bootSteps),
    async pause(ref) {
      await (await liveClient(ref)).client.patchVm('Paused');
      return one(ref);
    },
    async resume(ref) {
      await (await liveClient(ref)).client.patchVm('Resumed');
      return one(ref);
    },
    async stop(ref) {
      const { ctx, client } = await liveClient(ref);
      const paths = vmPaths(ctx.probe.firedeckDir, ref.id);
      // Only x86_64 guests take Ctrl+Alt+Del; on aarch64 Firecracker has no such action.
      if (ctx.probe.arch === 'x86_64') {
        await client.action('SendCtrlAltDel').catch(() => {});
        await ctx.connection.exec(waitExitScript(paths, (deps.stopTimeoutMs ?? 10_000) / 1000), { timeoutMs: (deps.stopTimeoutMs ?? 10_000) + 10_000 });
      }
      await ctx.connection.exec(markStoppedScript(paths), { timeoutMs: 15_000 });
      await dropClient(ref);
      return one(ref);
    },
    async kill(ref) {
      const ctx = await hostContext(ref.hostId);
      await ctx.connection.exec(markStoppedScript(vmPaths(ctx.probe.firedeckDir, ref.id)), { timeoutMs: 15_000 });
      await dropClient(ref);
      return one(ref);
    },
    async remove(ref) {
      const ctx = await hostContext(ref.hostId);
      await dropClient(ref);
      const result = await ctx.connection.exec(deleteScript(vmPaths(ctx.probe.firedeckDir, ref.id)), { timeoutMs: 30_000 });
      if (result.exitCode !== 0) throw new AppError('HOST_COMMAND_FAILED', `${ref.id} could not be deleted: ${(result.output || result.stderr).trim()}`);
      publish([ref.hostId], (await listHost(ref.hostId)));
      return true;
    },
    async snapshot(ref) {
      const { ctx, client } = await liveClient(ref);
      const paths = vmPaths(ctx.probe.firedeckDir, ref.id);
      const wasRunning = (await client.describeInstance()).state === 'Running';
      if (wasRunning) await client.patchVm('Paused'); // Firecracker snapshots only a paused VM
      let failure: unknown;
      try {
        await ctx.connection.exec(`mkdir -p -- ${shq(paths.snapshotDir)}`, { timeoutMs: 15_000 });
        await client.createSnapshot({ snapshot_path: `${paths.snapshotDir}/state`, mem_file_path: `${paths.snapshotDir}/mem` }, { timeoutMs: 120_000 });
      } catch (error) {
        failure = error;
      }
      // Resume even after a failed snapshot, and do not let a failed resume hide why the snapshot failed.
      const resumed = wasRunning ? await client.patchVm('Resumed').then(() => null, (error: unknown) => error) : null;
      if (failure) throw failure;
      if (resumed) {
        throw new AppError('VM_LEFT_PAUSED', `The snapshot was written, but ${ref.id} could not be resumed: ${(resumed as Error).message}`, { remedy: 'Resume it from its page.' });
      }
      await one(ref);
      return { snapshotDir: paths.snapshotDir };
    },
    async restore(ref, newId) {
      const ctx = await hostContext(ref.hostId);
      const source = vmPaths(ctx.probe.firedeckDir, ref.id);
      const config = await ctx.connection.exec(`cat -- ${shq(source.config)}`, { timeoutMs: 15_000 });
      let original: VmCreateRequest;
      try {
        original = JSON.parse(config.output) as VmCreateRequest;
      } catch {
        throw new AppError('NOT_FOUND', `${ref.id} has no readable configuration to restore from.`);
      }
      const exists = await ctx.connection.exec(`test -f ${shq(`${source.snapshotDir}/state`)}`);
      if (exists.exitCode !== 0) throw new AppError('NOT_FOUND', `${ref.id} has no snapshot yet.`, { remedy: 'Create a snapshot of it first.' });
      return start({ ...original, hostId: ref.hostId, id: newId }, restoreSteps, { statePath: `${source.snapshotDir}/state`, memPath: `${source.snapshotDir}/mem` });
    },
    async getConfig(ref) {
      return (await (await liveClient(ref)).client.getVmConfig()) as Record<string, unknown>;
    },
    async consoleOpen(ref, caller) {
      const ctx = await hostContext(ref.hostId);
      // Filled once the console is registered; its channel delivers data only in later I/O turns.
      const registered: { handle?: ResourceHandle } = {};
      const session = await openConsole(ctx.connection, vmPaths(ctx.probe.firedeckDir, ref.id), {
        onData: (data) => {
          registered.handle?.touch();
          events.emit('vms.consoleOutput', { sessionId: registered.handle?.id ?? '', data });
        },
        onClose: (reason) => {
          registered.handle?.release(reason);
          events.emit('vms.consoleClosed', { sessionId: registered.handle?.id ?? '', reason });
        },
      });
      registered.handle = deps.resources.add(caller.ownerId, 'console', session, { idleMs: CONSOLE_IDLE_MS });
      return { sessionId: registered.handle.id };
    },
    consoleInput(sessionId, data, caller) {
      const session = deps.resources.get<ConsoleSession>(sessionId, caller.ownerId);
      if (!session) throw new AppError('NOT_FOUND', 'This console is closed.', { remedy: 'Open the console again.' });
      session.write(data);
      return data.length;
    },
    consoleClose(sessionId, caller) {
      const session = deps.resources.get<ConsoleSession>(sessionId, caller.ownerId);
      session?.close('closed by the user');
      return session !== undefined;
    },
    async close() {
      if (timer) clearInterval(timer);
      await clients.closeAll();
    },
  };
}
