import type { HostSummary } from '../../shared/channels/hosts';
import type { VmCreateInput, VmSnapshot, VmSummary } from '../../shared/channels/vms';
import type { AppErrorShape } from '../../shared/errors';
import { toFiredeckError } from '../api/firedeck-error';
import { patchSlice } from './slice';
import type { AppState, SliceContext } from './slice';

export type VmAction = 'pause' | 'resume' | 'stop' | 'kill' | 'delete' | 'snapshot';

export interface VmsSlice {
  byKey: Record<string, VmSummary>;
  loaded: boolean;
  /** A failure of the last list refresh (hosts may still be partly listed). */
  listError?: AppErrorShape;
  /** The VM whose page is open. */
  selected?: string;
  /** Actions under way and the last failure, per VM key: shown on the VM's row and its page. */
  busy: Record<string, VmAction | undefined>;
  errors: Record<string, { action: VmAction; error: AppErrorShape } | undefined>;
  /** Boot steps as they run, for the create dialog's progress. */
  steps: { step: string; status: string }[];
  load(): Promise<void>;
  create(input: VmCreateInput): Promise<{ ok: true; vm: VmSummary } | { ok: false; message: string; fieldErrors: Record<string, string> }>;
  act(vm: VmSummary, action: VmAction): Promise<void>;
  dismissError(key: string): void;
  select(key: string | undefined): void;
  applyChanged(vm: VmSummary): void;
  applyRemoved(hostId: string, id: string): void;
  applyStep(step: string, status: string): void;
  /** Streams the VM's serial console until the returned `close` is called. */
  openConsole(vm: VmSummary, handlers: ConsoleHandlers): ConsoleHandle;
  /** Each VM's snapshots as last read from its host (newest first), per VM key. */
  snapshots: Record<string, VmSnapshot[] | undefined>;
  loadSnapshots(vm: VmSummary): Promise<void>;
  /** Takes snapshot `name` (default: named from the time); the result says what was made. */
  takeSnapshot(vm: VmSummary, name?: string): Promise<SnapshotResult<VmSnapshot>>;
  deleteSnapshot(vm: VmSummary, name: string): Promise<SnapshotResult<boolean>>;
  restoreSnapshot(vm: VmSummary, name: string, newId: string): Promise<SnapshotResult<VmSummary>>;
  rollback(vm: VmSummary, name: string): Promise<SnapshotResult<VmSummary>>;
}

export type SnapshotResult<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape; fieldErrors: Record<string, string> };

export type ConsoleStatus =
  | { state: 'connecting' | 'connected' | 'reconnecting'; message: string }
  /** Closed for good (idle timeout, host gone, an error): the view offers Reconnect. */
  | { state: 'closed'; message: string };

export interface ConsoleHandlers {
  onOutput(data: string): void;
  onStatus(status: ConsoleStatus): void;
}

export interface ConsoleHandle {
  send(data: string): void;
  close(): void;
}

export const vmKey = (vm: { hostId: string; id: string }) => `${vm.hostId}/${vm.id}`;

const actionNames: Record<VmAction, string> = { pause: 'Pause', resume: 'Resume', stop: 'Stop', kill: 'Force kill', delete: 'Delete', snapshot: 'Snapshot' };

export function createVmsSlice(ctx: SliceContext): VmsSlice {
  const slice = () => ctx.get().vms;
  const patch = (changes: Partial<VmsSlice>) => patchSlice(ctx, 'vms', changes);
  const put = (vm: VmSummary) => patch({ byKey: { ...slice().byKey, [vmKey(vm)]: vm } });

  /** A snapshot operation, with the VM's snapshot list read again afterwards whatever happened. */
  async function snapshotCall<T>(vm: VmSummary, run: () => Promise<T>): Promise<SnapshotResult<T>> {
    try {
      return { ok: true, value: await run() };
    } catch (caught) {
      const error = toFiredeckError(caught);
      return { ok: false, error: error.shape(), fieldErrors: error.fieldErrors() };
    } finally {
      await slice().loadSnapshots(vm);
    }
  }

  return {
    byKey: {},
    loaded: false,
    busy: {},
    errors: {},
    steps: [],
    snapshots: {},
    async loadSnapshots(vm) {
      const list = await ctx.api.invoke('vms.snapshots', { hostId: vm.hostId, id: vm.id }).catch(() => undefined);
      if (list) patch({ snapshots: { ...slice().snapshots, [vmKey(vm)]: list } });
    },
    async takeSnapshot(vm, name) {
      const key = vmKey(vm);
      patch({ errors: { ...slice().errors, [key]: undefined } });
      const result = await snapshotCall(vm, async () => (await ctx.api.invoke('vms.snapshot', { hostId: vm.hostId, id: vm.id, ...(name ? { name } : {}) })).snapshot);
      // A failure is also the VM's, shown on its row and page as any failed action is (a name taken stays the dialog's).
      if (!result.ok && Object.keys(result.fieldErrors).length === 0) patch({ errors: { ...slice().errors, [key]: { action: 'snapshot', error: result.error } } });
      return result;
    },
    async deleteSnapshot(vm, name) {
      return snapshotCall(vm, async () => (await ctx.api.invoke('vms.snapshotDelete', { hostId: vm.hostId, id: vm.id, snapshot: name })).deleted);
    },
    async restoreSnapshot(vm, name, newId) {
      return snapshotCall(vm, async () => {
        const made = await ctx.api.invoke('vms.restore', { hostId: vm.hostId, id: vm.id, newId, snapshot: name });
        put(made);
        return made;
      });
    },
    async rollback(vm, name) {
      return snapshotCall(vm, async () => {
        const back = await ctx.api.invoke('vms.rollback', { hostId: vm.hostId, id: vm.id, snapshot: name });
        put(back);
        return back;
      });
    },
    async load() {
      try {
        const list = await ctx.api.invoke('vms.list');
        patch({ byKey: Object.fromEntries(list.map((vm) => [vmKey(vm), vm])), loaded: true, listError: undefined });
      } catch (caught) {
        const error = toFiredeckError(caught);
        patch({ loaded: true, listError: error.shape() });
      }
    },
    async create(input) {
      patch({ steps: [] });
      try {
        const vm = await ctx.api.invoke('vms.create', input);
        put(vm);
        return { ok: true, vm };
      } catch (caught) {
        const error = toFiredeckError(caught);
        return { ok: false, message: error.remedy ? `${error.message} ${error.remedy}` : error.message, fieldErrors: error.fieldErrors() };
      }
    },
    async act(vm, action) {
      const key = vmKey(vm);
      const ref = { hostId: vm.hostId, id: vm.id };
      patch({ busy: { ...slice().busy, [key]: action }, errors: { ...slice().errors, [key]: undefined } });
      try {
        if (action === 'delete') {
          await ctx.api.invoke('vms.delete', ref);
          slice().applyRemoved(vm.hostId, vm.id);
        } else if (action === 'snapshot') {
          await ctx.api.invoke('vms.snapshot', ref);
        } else {
          put(await ctx.api.invoke(`vms.${action}`, ref));
        }
      } catch (caught) {
        patch({ errors: { ...slice().errors, [key]: { action, error: toFiredeckError(caught).shape() } } });
      } finally {
        patch({ busy: { ...slice().busy, [key]: undefined } });
      }
    },
    dismissError: (key) => patch({ errors: { ...slice().errors, [key]: undefined } }),
    select: (selected) => patch({ selected }),
    applyChanged: (vm) => put(vm),
    applyRemoved(hostId, id) {
      const { [`${hostId}/${id}`]: _gone, ...byKey } = slice().byKey;
      patch({ byKey, ...(slice().selected === `${hostId}/${id}` ? { selected: undefined } : {}) });
    },
    applyStep: (step, status) => patch({ steps: [...slice().steps.filter((s) => s.step !== step), { step, status }] }),
    openConsole(vm, handlers) {
      let sessionId: string | undefined;
      let closed = false;
      const mine = (event: { sessionId: string }) => event.sessionId === sessionId;
      const offs = [
        ctx.api.on('vms.consoleOutput', (event) => mine(event) && handlers.onOutput(event.data)),
        ctx.api.on('vms.consoleStateChanged', (event) => mine(event) && handlers.onStatus({ state: event.state, message: event.message })),
        ctx.api.on('vms.consoleClosed', (event) => mine(event) && handlers.onStatus({ state: 'closed', message: `The console closed: ${event.reason}.` })),
      ];
      handlers.onStatus({ state: 'connecting', message: 'Connecting…' });
      ctx.api.invoke('vms.consoleOpen', { hostId: vm.hostId, id: vm.id }).then(
        (opened) => {
          if (closed) return void ctx.api.invoke('vms.consoleClose', { sessionId: opened.sessionId }).catch(() => {});
          sessionId = opened.sessionId;
          handlers.onStatus({ state: 'connected', message: 'Connected: type to send keys to the guest' });
        },
        (caught: unknown) => {
          const error = toFiredeckError(caught);
          handlers.onStatus({ state: 'closed', message: `The console could not be opened: ${error.message}${error.remedy ? ` ${error.remedy}` : ''}` });
        },
      );
      return {
        send(data) {
          if (!sessionId) return;
          void ctx.api.invoke('vms.consoleInput', { sessionId, data }).catch((caught: unknown) => {
            const error = toFiredeckError(caught);
            handlers.onStatus({ state: error.code === 'NOT_FOUND' ? 'closed' : 'reconnecting', message: `Not sent: ${error.message}` });
          });
        },
        close() {
          closed = true;
          offs.forEach((off) => off());
          if (sessionId) void ctx.api.invoke('vms.consoleClose', { sessionId }).catch(() => {});
        },
      };
    },
  };
}

export interface VmFilter {
  hostId?: string;
  state?: VmSummary['state'];
  text?: string;
}

/** The VMs the list shows, newest first, filtered by host, state and text. */
export function selectVmList(state: AppState, filter: VmFilter = {}): VmSummary[] {
  const text = filter.text?.trim().toLowerCase() ?? '';
  return Object.values(state.vms.byKey)
    .filter((vm) => (!filter.hostId || vm.hostId === filter.hostId) && (!filter.state || vm.state === filter.state))
    .filter((vm) => !text || vm.id.toLowerCase().includes(text) || (vm.name ?? '').toLowerCase().includes(text))
    .sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? '') || a.id.localeCompare(b.id));
}

/** Why nothing can be done to this VM right now (its host cannot be asked), or null when it can. */
export function vmUnavailable(vm: VmSummary, host: HostSummary | undefined): { message: string; remedy?: string; lastSeenAt?: string } | null {
  if (vm.offline) return vm.offline;
  if (!host) return { message: 'Its host is no longer in your host list.' };
  if (host.connection.state !== 'connected') return { message: `${host.label} is not connected.`, remedy: 'Connect it from the Hosts view.' };
  return null;
}

/**
 * Hosts whose microVMs the list cannot show because they are not connected (see
 * notConnectedReason): after a restart the list is not "empty" while VMs run on such a host.
 * The summaries are the store's own, so `useShallow` keeps the list stable.
 */
export function selectUnlistedHosts(state: AppState): HostSummary[] {
  return Object.values(state.hosts.byId)
    .filter((host) => host.connection.state !== 'connected')
    .sort((a, b) => a.label.localeCompare(b.label));
}

/** Why a host is not connected, as the list says it. */
export function notConnectedReason(host: HostSummary): string {
  const c = host.connection;
  if (c.state === 'reconnecting') return `the connection was lost (${c.error.message.replace(/\.$/, '')}); Firedeck is reconnecting`;
  if (c.state === 'failed') return c.error.message;
  if (c.state === 'connecting') return 'connecting…';
  return 'not connected';
}

/** "Stop failed: …": the last failure of an action on a VM, as its row shows it. */
export function actionFailure(failure: { action: VmAction; error: AppErrorShape }): string {
  return `${actionNames[failure.action]} failed: ${failure.error.message}`;
}

/** "Stop failed.": the title of the failure's banner on the VM's page. */
export function actionFailureTitle(failure: { action: VmAction }): string {
  return `${actionNames[failure.action]} failed.`;
}

/** "3 h 12 min" for a VM that has been up since `startedAt`. */
export function uptime(startedAt: string | undefined, now: number): string {
  if (!startedAt) return '—';
  const seconds = Math.max(0, Math.floor((now - Date.parse(startedAt)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h ${minutes % 60} min` : `${Math.floor(hours / 24)} d`;
}

/** "last seen 14:03 (5 min ago)": when a VM of an unreachable host was last read. */
export function lastSeen(at: string, now: number): string {
  const time = new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return `last seen ${time} (${uptime(at, now)} ago)`;
}
