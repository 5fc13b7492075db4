import { chmod, readFile, stat } from 'node:fs/promises';
import type { GuestCopyResult, GuestForward, GuestListeningPort, GuestSshCommand, GuestStatus, GuestSyncPreview, GuestSyncResult } from '../../shared/channels/guest.js';
import { AppError } from '../app-error.js';
import type { ResourceHandle, ResourceRegistry } from '../app/resources.js';
import type { EventBus } from '../event-bus.js';
import type { HostService } from '../hosts/host-service.js';
import type { Caller } from '../router.js';
import { createHostKeyTrust } from '../ssh/host-key-trust.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import type { TransferRegistry } from '../transfers/transfer-registry.js';
import type { WorkspaceService } from '../workspaces/workspace-service.js';
import { connectGuest, probeGuestBanner } from './guest-connect.js';
import type { GuestTarget } from './guest-connect.js';
import { runGuestExec } from './guest-exec.js';
import type { GuestExec } from './guest-exec.js';
import { copyFromGuest, copyIntoGuest, guestOnlyFiles, localSyncPaths, syncIntoGuest } from './guest-files.js';
import { deleteInGuest } from './guest-sync-delete.js';
import { startPortForward } from './guest-forward.js';
import type { PortForward } from './guest-forward.js';
import { createGuestLinks } from './guest-links.js';
import type { GuestLease } from './guest-links.js';
import { guestRun, parseListeningPorts } from './guest-run.js';
import { createGuestSshConfig, entryFor, guestKeyAlias, sshCommandFor } from './guest-ssh-config.js';
import { openGuestTerminal } from './guest-terminal.js';
import { createSyncPlanStore } from './sync-plans.js';
import type { SyncPlanStore } from './sync-plans.js';
import type { GuestTerminal } from './guest-terminal.js';

/** Where the host reaches a VM's sshd; `user` defaults to root (the wizard's key is root's). */
export type GuestAddressResolver = (hostId: string, vmId: string) => Promise<{ host: string; port: number; user?: string }>;

export interface VmRef {
  hostId: string;
  id: string;
}

/**
 * Into the guest: SSH to a microVM through its host's existing connection (a direct-tcpip
 * channel to the address the host reaches the guest at), with the wizard's guest key. One SSH
 * connection per guest, shared by its terminals, commands, copies and forwards; each of those
 * is owned by the window that opened it (ResourceRegistry), and all of a VM's close when it
 * stops or is deleted.
 */
export interface GuestService {
  status(ref: VmRef): Promise<GuestStatus>;
  terminalOpen(ref: VmRef, size: { cols: number; rows: number }, caller: Caller): Promise<{ sessionId: string }>;
  terminalInput(sessionId: string, data: string, caller: Caller): number;
  terminalResize(sessionId: string, size: { cols: number; rows: number }, caller: Caller): boolean;
  terminalClose(sessionId: string, caller: Caller): boolean;
  exec(ref: VmRef, execId: string, command: string, caller: Caller): Promise<{ execId: string }>;
  execCancel(execId: string, caller: Caller): boolean;
  copyIn(request: VmRef & { workspaceId: string; path: string; guestDir: string; transferId: string }): Promise<GuestCopyResult>;
  copyOut(request: VmRef & { workspaceId: string; guestPath: string; dir: string; transferId: string }): Promise<GuestCopyResult>;
  /** Which guest-only files a deleting sync would remove, as a plan for this caller alone. */
  syncPreview(request: VmRef & SyncFolders, caller: Caller): Promise<GuestSyncPreview>;
  sync(request: VmRef & SyncFolders & { transferId: string; deleteExtraneous?: boolean; planId?: string | undefined }, caller: Caller): Promise<GuestSyncResult>;
  listeningPorts(ref: VmRef): Promise<GuestListeningPort[]>;
  forwardAdd(ref: VmRef, guestPort: number, localPort: number | undefined, caller: Caller): Promise<GuestForward>;
  forwardList(ref: VmRef, caller: Caller): GuestForward[];
  forwardRemove(forwardId: string, caller: Caller): boolean;
  /** The loopback ports of every live forward, whoever opened it (the desktop window may open them in the browser). */
  forwardedPorts(): number[];
  sshCommand(ref: VmRef): Promise<GuestSshCommand>;
  forgetHostKey(ref: VmRef): Promise<boolean>;
  /** Open guest connections (tests, benches). */
  readonly connections: number;
  close(): void;
}

type SyncFolders = { workspaceId: string; path: string; guestDir: string };

export interface GuestServiceDeps {
  dataDir: string;
  hosts: Pick<HostService, 'list' | 'connection'>;
  events: EventBus;
  resources: ResourceRegistry;
  transfers: TransferRegistry;
  workspaces: Pick<WorkspaceService, 'files'>;
  guestAddress: GuestAddressResolver;
  /** How long a terminal may go without a keystroke or output before it is closed (default 30 min). */
  terminalIdleMs?: number;
  /** Plans of deleting syncs (default: a store of its own, 10-minute plans). */
  syncPlans?: SyncPlanStore;
}

const vmKey = (ref: VmRef) => `${ref.hostId}/${ref.id}`;
const TERMINAL_IDLE_MS = 30 * 60_000;

interface Owned<R> {
  ref: VmRef;
  resource: R;
  handle: ResourceHandle;
}

export function createGuestService(deps: GuestServiceDeps): GuestService {
  const links = createGuestLinks();
  const sshConfig = createGuestSshConfig(deps.dataDir);
  const { paths } = sshConfig;
  const trust = createHostKeyTrust({ userKnownHostsFiles: [], appKnownHostsFile: paths.knownHosts });
  const fingerprints = new Map<string, string>();
  // What each VM has open, to close on stop/delete; the registry owns them by window.
  const terminals = new Map<string, Owned<GuestTerminal>>();
  const execs = new Map<string, Owned<GuestExec>>();
  const forwards = new Map<string, Owned<PortForward>>();
  const plans = deps.syncPlans ?? createSyncPlanStore();

  function host(hostId: string) {
    const found = deps.hosts.list().find((h) => h.id === hostId);
    if (!found) throw new AppError('NOT_FOUND', 'That host is not in Firedeck’s list any more.', { remedy: 'Reload the list.' });
    return found;
  }

  const label = (ref: VmRef) => `microVM ${ref.id}`;

  async function target(ref: VmRef): Promise<GuestTarget> {
    const found = await deps.guestAddress(ref.hostId, ref.id);
    const resolved = { host: found.host, port: found.port, user: found.user ?? 'root' };
    // The user's own tools reach the same guest: its ssh_config entry follows what Firedeck uses.
    await sshConfig.put(entryFor(host(ref.hostId), ref.id, resolved)).catch(() => {});
    return resolved;
  }

  async function guestKey(): Promise<Buffer> {
    return readFile(paths.key).catch((error: unknown) => {
      throw new AppError('GUEST_AUTH_FAILED', 'Firedeck has no guest key yet, so it cannot log in to guests.', {
        remedy: 'Run Set up host on the host page: it makes the guest key and puts it into the root filesystems it builds.',
        cause: error,
      });
    });
  }

  function lease(ref: VmRef): Promise<GuestLease> {
    const connection = deps.hosts.connection(ref.hostId);
    return links.acquire(vmKey(ref), async () => {
      const [where, privateKey] = await Promise.all([target(ref), guestKey()]);
      return connectGuest(connection, where, label(ref), {
        privateKey,
        trust,
        alias: guestKeyAlias(ref.hostId, ref.id),
        onHostKey: (fingerprint) => fingerprints.set(vmKey(ref), fingerprint),
      });
    });
  }

  /** Runs short work with the guest's connection, held only for that work. */
  async function withGuest<T>(ref: VmRef, work: (held: GuestLease) => Promise<T>): Promise<T> {
    const held = await lease(ref);
    try {
      return await work(held);
    } finally {
      held.release();
    }
  }

  function forwardSummary(forwardId: string, owned: Owned<PortForward>): GuestForward {
    const f = owned.resource;
    return { forwardId, hostId: owned.ref.hostId, id: owned.ref.id, guestPort: f.guestPort, localPort: f.localPort, url: `http://127.0.0.1:${f.localPort}/`, connections: f.connections };
  }

  const forwardsOf = (ref: VmRef) => [...forwards].filter(([, f]) => vmKey(f.ref) === vmKey(ref)).map(([id, f]) => forwardSummary(id, f));

  /** The VM stopped or is gone: everything open into its guest closes, and its connection. */
  function closeVm(ref: VmRef, reason: string) {
    for (const map of [terminals, execs, forwards] as Map<string, Owned<unknown>>[]) {
      for (const owned of [...map.values()]) if (vmKey(owned.ref) === vmKey(ref)) owned.handle.release(reason);
    }
    links.close(vmKey(ref), reason);
    fingerprints.delete(vmKey(ref));
  }

  async function forgetKey(ref: VmRef): Promise<boolean> {
    const alias = guestKeyAlias(ref.hostId, ref.id);
    const text = await readFile(paths.knownHosts, 'utf8').catch(() => '');
    const kept = text.split('\n').filter((line) => line.split(' ')[0] !== alias);
    if (kept.length === text.split('\n').length) return false;
    await writeFileAtomic(paths.knownHosts, kept.join('\n'), 0o600);
    fingerprints.delete(vmKey(ref));
    return true;
  }

  const unsubscribe = deps.events.subscribe((event, payload) => {
    if (event === 'vms.changed') {
      const vm = payload as { hostId: string; id: string; state: string };
      if (vm.state === 'stopped' || vm.state === 'exited') closeVm(vm, `the microVM ${vm.state === 'stopped' ? 'stopped' : 'exited'}`);
    } else if (event === 'vms.removed') {
      const ref = payload as VmRef;
      closeVm(ref, 'the microVM was deleted');
      // A VM made again under the same id is a new guest with new host keys.
      void forgetKey(ref).catch(() => {});
      void sshConfig.remove(ref.hostId, ref.id).catch(() => {});
    }
  });

  function own<R extends { close(reason: string): void }>(map: Map<string, Owned<R>>, ref: VmRef, caller: Caller, kind: string, resource: R, idleMs?: number): string {
    const handle = deps.resources.add(caller.ownerId, kind, resource, idleMs ? { idleMs } : {});
    map.set(handle.id, { ref, resource, handle });
    return handle.id;
  }

  return {
    async status(ref) {
      const base = { hostId: ref.hostId, id: ref.id, connected: links.has(vmKey(ref)) };
      const fingerprint = fingerprints.get(vmKey(ref));
      const withKey = fingerprint ? { hostKeyFingerprint: fingerprint } : {};
      const connection = deps.hosts.connection(ref.hostId);
      if (connection.state.state !== 'connected') return { ...base, state: 'unknown', problem: { code: 'HOST_NOT_CONNECTED', message: `${connection.name} is not connected.`, remedy: 'Connect to the host first.' } };
      let where: GuestTarget;
      try {
        where = await target(ref);
      } catch (error) {
        const shape = error instanceof AppError ? error.toShape() : { code: 'GUEST_NO_ADDRESS' as const, message: 'Firedeck could not find the microVM’s address.' };
        return { ...base, state: 'no-address', problem: shape };
      }
      const address = `${where.host}:${where.port}`;
      try {
        const banner = await probeGuestBanner(connection, where, label(ref));
        return { ...base, ...withKey, state: 'up', banner, address };
      } catch (error) {
        return { ...base, state: 'down', address, problem: error instanceof AppError ? error.toShape() : { code: 'GUEST_SSH_DOWN', message: String(error) } };
      }
    },

    async terminalOpen(ref, size, caller) {
      const held = await lease(ref);
      let sessionId = '';
      let ended = false;
      let terminal: GuestTerminal;
      try {
        terminal = await openGuestTerminal(held, size, {
          onData: (data) => {
            terminals.get(sessionId)?.handle.touch();
            deps.events.emit('guest.terminalOutput', { sessionId, data });
          },
          onClose: (reason) => {
            ended = true;
            const owned = terminals.get(sessionId);
            terminals.delete(sessionId);
            owned?.handle.release(reason);
            deps.events.emit('guest.terminalClosed', { sessionId, reason });
          },
        });
      } catch (error) {
        held.release();
        throw new AppError('GUEST_SSH_DOWN', `The guest refused a shell: ${(error as Error).message}.`, { remedy: 'Try again; the guest’s sshd may allow few sessions (MaxSessions).', cause: error });
      }
      sessionId = own(terminals, ref, caller, 'guest-terminal', terminal, deps.terminalIdleMs ?? TERMINAL_IDLE_MS);
      // A shell that ended before it was registered (the guest went at once) is let go at once.
      if (ended) {
        const owned = terminals.get(sessionId);
        terminals.delete(sessionId);
        owned?.handle.release('the shell ended');
        queueMicrotask(() => deps.events.emit('guest.terminalClosed', { sessionId, reason: 'the shell ended' }));
      }
      return { sessionId };
    },
    terminalInput(sessionId, data, caller) {
      const owned = terminals.get(sessionId);
      if (!owned || !deps.resources.get(sessionId, caller.ownerId)) throw new AppError('NOT_FOUND', 'This terminal is closed.', { remedy: 'Open a new terminal.' });
      owned.handle.touch();
      owned.resource.write(data);
      return data.length;
    },
    terminalResize(sessionId, size, caller) {
      const owned = terminals.get(sessionId);
      if (!owned || !deps.resources.get(sessionId, caller.ownerId)) return false;
      owned.resource.resize(size.cols, size.rows);
      return true;
    },
    terminalClose(sessionId, caller) {
      const owned = terminals.get(sessionId);
      if (!owned || !deps.resources.get(sessionId, caller.ownerId)) return false;
      owned.handle.release('closed by the user');
      return true;
    },

    async exec(ref, execId, command, caller) {
      if (execs.has(execId)) throw new AppError('CONFLICT', 'A command with this id is running.', { remedy: 'Run it again; the window picks a new id each time.' });
      const held = await lease(ref);
      let run: GuestExec;
      let ended = false;
      try {
        run = await runGuestExec(held, command, {
          onOutput: (stream, data) => deps.events.emit('guest.execOutput', { execId, stream, data }),
          onExit: (outcome) => {
            ended = true;
            const owned = execs.get(execId);
            execs.delete(execId);
            owned?.handle.release('the command ended');
            deps.events.emit('guest.execExited', { execId, ...outcome });
          },
        });
      } catch (error) {
        held.release();
        throw new AppError('GUEST_SSH_DOWN', `The guest refused to run the command: ${(error as Error).message}.`, { remedy: 'Try again.', cause: error });
      }
      const handle = deps.resources.add(caller.ownerId, 'guest-exec', run);
      // A command that ended before it was registered holds nothing any more.
      if (ended) handle.release('the command ended');
      else execs.set(execId, { ref, resource: run, handle });
      return { execId };
    },
    execCancel(execId, caller) {
      const owned = execs.get(execId);
      if (!owned || !deps.resources.get(owned.handle.id, caller.ownerId)) return false;
      owned.resource.cancel();
      return true;
    },

    async copyIn({ workspaceId, path, guestDir, transferId, ...ref }) {
      const files = await deps.workspaces.files(workspaceId);
      return deps.transfers.run(transferId, (transfer) => withGuest(ref, (held) => copyIntoGuest(held.client, files, path, guestDir, transfer)));
    },
    async copyOut({ workspaceId, guestPath, dir, transferId, ...ref }) {
      const files = await deps.workspaces.files(workspaceId);
      return deps.transfers.run(transferId, (transfer) => withGuest(ref, (held) => copyFromGuest(held.client, files, guestPath, dir, transfer)));
    },
    async syncPreview({ workspaceId, path, guestDir, ...ref }, caller) {
      if (guestDir.replace(/\/+$/, '') === '') throw new AppError('INVALID_PATH', 'Firedeck does not delete files across the guest’s whole filesystem.', { remedy: 'Sync into a folder, e.g. /root/workspace.' });
      const files = await deps.workspaces.files(workspaceId);
      const toDelete = await withGuest(ref, (held) => guestOnlyFiles(held.client, files, path, guestDir));
      const plan = plans.create(caller.ownerId, { ...ref, workspaceId, path, guestDir }, toDelete);
      return { planId: plan.planId, expiresAt: new Date(plan.expiresAt).toISOString(), toDelete: plan.toDelete };
    },
    async sync({ workspaceId, path, guestDir, transferId, deleteExtraneous, planId, ...ref }, caller) {
      // The plan is taken before anything is sent: a stale or foreign plan fails the sync at once.
      const plan = deleteExtraneous ? plans.take(planId ?? '', caller.ownerId, { ...ref, workspaceId, path, guestDir }) : undefined;
      const files = await deps.workspaces.files(workspaceId);
      return deps.transfers.run(transferId, (transfer) =>
        withGuest(ref, async (held) => {
          const result = await syncIntoGuest(held.client, files, path, guestDir, transfer);
          if (!plan) return result;
          // A file made in the workspace since the preview was just sent: it is not deleted.
          const local = await localSyncPaths(files, path);
          const gone = await deleteInGuest(held.client, guestDir, plan.toDelete.filter((p) => !local.has(p)), transfer.signal);
          return { ...result, ...gone };
        }),
      );
    },

    listeningPorts: (ref) =>
      withGuest(ref, async (held) => {
        const result = await guestRun(held.client, 'ss -ltnH 2>/dev/null || ss -ltn', { timeoutMs: 15_000 });
        if (result.exitCode !== 0) throw new AppError('GUEST_SSH_DOWN', 'The guest could not list its listening ports (ss failed).', { remedy: 'Install iproute2 in the guest, or type the port yourself.' });
        return parseListeningPorts(result.stdout);
      }),

    forwardedPorts: () => [...forwards.values()].map((f) => f.resource.localPort),
    async forwardAdd(ref, guestPort, localPort, caller) {
      const taken = [...forwards.values()].find((f) => f.resource.localPort === (localPort ?? guestPort));
      if (taken) {
        throw new AppError('PORT_IN_USE', `127.0.0.1:${taken.resource.localPort} already forwards to port ${taken.resource.guestPort} of microVM ${taken.ref.id}.`, {
          remedy: 'Remove that forward first, or choose another local port.',
        });
      }
      let forwardId = '';
      const forward = await startPortForward({
        guestPort,
        localPort: localPort ?? guestPort,
        lease: () => lease(ref),
        onClose: () => {
          const owned = forwards.get(forwardId);
          forwards.delete(forwardId);
          owned?.handle.release('removed');
          deps.events.emit('guest.forwardsChanged', { hostId: ref.hostId, id: ref.id, forwards: forwardsOf(ref) });
        },
      });
      forwardId = own(forwards, ref, caller, 'guest-forward', forward);
      deps.events.emit('guest.forwardsChanged', { hostId: ref.hostId, id: ref.id, forwards: forwardsOf(ref) });
      return forwardSummary(forwardId, forwards.get(forwardId)!);
    },
    forwardList: (ref, caller) => forwardsOf(ref).filter((f) => deps.resources.get(f.forwardId, caller.ownerId)),
    forwardRemove(forwardId, caller) {
      const owned = forwards.get(forwardId);
      if (!owned || !deps.resources.get(forwardId, caller.ownerId)) return false;
      owned.handle.release('removed by the user');
      return true;
    },

    async sshCommand(ref) {
      const where = await target(ref);
      // The user's ssh refuses a key others can read: the wizard wrote it 0600; keep it so.
      const info = await stat(paths.key).catch(() => null);
      if (!info) await guestKey();
      else if ((info.mode & 0o077) !== 0) await chmod(paths.key, 0o600);
      return sshCommandFor(entryFor(host(ref.hostId), ref.id, where), paths);
    },
    forgetHostKey: (ref) => {
      links.close(vmKey(ref), 'its host key was forgotten');
      return forgetKey(ref);
    },

    get connections() {
      return links.size;
    },
    close() {
      unsubscribe();
      links.closeAll('Firedeck is shutting down');
    },
  };
}
