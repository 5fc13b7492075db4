import type { GuestForward, GuestListeningPort, GuestSshCommand, GuestStatus, GuestSyncPreview } from '../../shared/channels/guest';
import type { AppErrorShape } from '../../shared/errors';
import { toFiredeckError } from '../api/firedeck-error';
import { patchSlice } from './slice';
import type { SliceContext } from './slice';

type VmRef = { hostId: string; id: string };
export const guestKey = (vm: VmRef) => `${vm.hostId}/${vm.id}`;

export type TerminalStatus = { state: 'connecting' | 'connected' | 'closed'; message: string };

export interface GuestTerminalHandlers {
  onOutput(data: string): void;
  onStatus(status: TerminalStatus): void;
}

export interface GuestTerminalHandle {
  send(data: string): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

export interface CommandRun {
  execId: string;
  command: string;
  /** stdout and stderr as they came, each chunk tagged. */
  output: { stream: 'stdout' | 'stderr'; data: string }[];
  state: 'running' | 'exited' | 'failed';
  exitCode?: number | null;
  signal?: string;
  error?: AppErrorShape;
}

export interface GuestTransfer {
  transferId: string;
  kind: 'copy in' | 'copy out' | 'sync';
  sent: number;
  total: number;
  state: 'running' | 'done' | 'failed';
  message?: string;
}

export interface GuestSlice {
  status: Record<string, GuestStatus | undefined>;
  statusLoading: Record<string, boolean>;
  forwards: Record<string, GuestForward[]>;
  ports: Record<string, GuestListeningPort[] | undefined>;
  ssh: Record<string, GuestSshCommand | undefined>;
  runs: Record<string, CommandRun[]>;
  transfers: Record<string, GuestTransfer[]>;
  errors: Record<string, AppErrorShape | undefined>;
  refreshStatus(vm: VmRef): Promise<void>;
  openTerminal(vm: VmRef, size: { cols: number; rows: number }, handlers: GuestTerminalHandlers): GuestTerminalHandle;
  runCommand(vm: VmRef, command: string): Promise<void>;
  cancelCommand(vm: VmRef, execId: string): Promise<void>;
  loadPorts(vm: VmRef): Promise<void>;
  loadForwards(vm: VmRef): Promise<void>;
  addForward(vm: VmRef, guestPort: number, localPort?: number): Promise<{ ok: true } | { ok: false; error: AppErrorShape }>;
  removeForward(vm: VmRef, forwardId: string): Promise<void>;
  loadSshCommand(vm: VmRef): Promise<void>;
  forgetHostKey(vm: VmRef): Promise<void>;
  /** Which guest files a deleting sync would remove (a plan for this window, ~10 minutes, single use). */
  previewSync(vm: VmRef, request: { workspaceId: string; path: string; guestPath: string }): Promise<{ ok: true; preview: GuestSyncPreview } | { ok: false; error: AppErrorShape }>;
  /** `planId` (sync only): also delete what that preview listed. */
  transfer(vm: VmRef, kind: GuestTransfer['kind'], request: { workspaceId: string; path: string; guestPath: string; planId?: string }): Promise<void>;
  cancelTransfer(transferId: string): Promise<void>;
  dismissError(vm: VmRef): void;
  applyForwards(vm: VmRef, forwards: GuestForward[]): void;
  applyProgress(transferId: string, sent: number, total: number): void;
}

/** Runs kept per VM on the page (the oldest go first). */
const MAX_RUNS = 20;

export function createGuestSlice(ctx: SliceContext): GuestSlice {
  const slice = () => ctx.get().guest;
  const patch = (changes: Partial<GuestSlice>) => patchSlice(ctx, 'guest', changes);
  const setError = (vm: VmRef, error: AppErrorShape | undefined) => patch({ errors: { ...slice().errors, [guestKey(vm)]: error } });
  const updateRun = (key: string, execId: string, change: (run: CommandRun) => CommandRun) =>
    patch({ runs: { ...slice().runs, [key]: (slice().runs[key] ?? []).map((r) => (r.execId === execId ? change(r) : r)) } });
  const updateTransfer = (transferId: string, change: Partial<GuestTransfer>) => {
    const all = slice().transfers;
    for (const [key, list] of Object.entries(all)) {
      if (list.some((t) => t.transferId === transferId)) patch({ transfers: { ...all, [key]: list.map((t) => (t.transferId === transferId ? { ...t, ...change } : t)) } });
    }
  };

  return {
    status: {},
    statusLoading: {},
    forwards: {},
    ports: {},
    ssh: {},
    runs: {},
    transfers: {},
    errors: {},
    async refreshStatus(vm) {
      patch({ statusLoading: { ...slice().statusLoading, [guestKey(vm)]: true } });
      try {
        const status = await ctx.api.invoke('guest.status', vm);
        patch({ status: { ...slice().status, [guestKey(vm)]: status } });
      } catch (caught) {
        setError(vm, toFiredeckError(caught).shape());
      } finally {
        patch({ statusLoading: { ...slice().statusLoading, [guestKey(vm)]: false } });
      }
    },
    openTerminal(vm, size, handlers) {
      let sessionId: string | undefined;
      let closed = false;
      const mine = (event: { sessionId: string }) => event.sessionId === sessionId;
      const offs = [
        ctx.api.on('guest.terminalOutput', (event) => mine(event) && handlers.onOutput(event.data)),
        ctx.api.on('guest.terminalClosed', (event) => mine(event) && handlers.onStatus({ state: 'closed', message: `Closed: ${event.reason}.` })),
      ];
      handlers.onStatus({ state: 'connecting', message: 'Connecting to the guest…' });
      ctx.api.invoke('guest.terminalOpen', { ...vm, ...size }).then(
        (opened) => {
          if (closed) return void ctx.api.invoke('guest.terminalClose', { sessionId: opened.sessionId }).catch(() => {});
          sessionId = opened.sessionId;
          handlers.onStatus({ state: 'connected', message: 'Connected' });
        },
        (caught: unknown) => {
          const error = toFiredeckError(caught);
          handlers.onStatus({ state: 'closed', message: `${error.message}${error.remedy ? ` ${error.remedy}` : ''}` });
        },
      );
      return {
        send(data) {
          if (sessionId) void ctx.api.invoke('guest.terminalInput', { sessionId, data }).catch(() => {});
        },
        resize(cols, rows) {
          if (sessionId) void ctx.api.invoke('guest.terminalResize', { sessionId, cols, rows }).catch(() => {});
        },
        close() {
          closed = true;
          offs.forEach((off) => off());
          if (sessionId) void ctx.api.invoke('guest.terminalClose', { sessionId }).catch(() => {});
        },
      };
    },
    async runCommand(vm, command) {
      const key = guestKey(vm);
      const execId = crypto.randomUUID();
      const run: CommandRun = { execId, command, output: [], state: 'running' };
      patch({ runs: { ...slice().runs, [key]: [run, ...(slice().runs[key] ?? [])].slice(0, MAX_RUNS) } });
      const offs = [
        ctx.api.on('guest.execOutput', (e) => e.execId === execId && updateRun(key, execId, (r) => ({ ...r, output: [...r.output, { stream: e.stream, data: e.data }] }))),
        ctx.api.on('guest.execExited', (e) => {
          if (e.execId !== execId) return;
          offs.forEach((off) => off());
          updateRun(key, execId, (r) => ({ ...r, state: e.error && e.exitCode === null ? 'failed' : 'exited', exitCode: e.exitCode, ...(e.signal ? { signal: e.signal } : {}), ...(e.error ? { error: e.error } : {}) }));
        }),
      ];
      try {
        await ctx.api.invoke('guest.exec', { ...vm, execId, command });
      } catch (caught) {
        offs.forEach((off) => off());
        updateRun(key, execId, (r) => ({ ...r, state: 'failed', error: toFiredeckError(caught).shape() }));
      }
    },
    async cancelCommand(_vm, execId) {
      await ctx.api.invoke('guest.execCancel', { execId }).catch(() => {});
    },
    async loadPorts(vm) {
      try {
        const ports = await ctx.api.invoke('guest.listeningPorts', vm);
        patch({ ports: { ...slice().ports, [guestKey(vm)]: ports } });
      } catch (caught) {
        setError(vm, toFiredeckError(caught).shape());
      }
    },
    async loadForwards(vm) {
      const forwards = await ctx.api.invoke('guest.forwardList', vm).catch(() => []);
      patch({ forwards: { ...slice().forwards, [guestKey(vm)]: forwards } });
    },
    async addForward(vm, guestPort, localPort) {
      try {
        await ctx.api.invoke('guest.forwardAdd', { ...vm, guestPort, ...(localPort ? { localPort } : {}) });
        await slice().loadForwards(vm);
        return { ok: true };
      } catch (caught) {
        return { ok: false, error: toFiredeckError(caught).shape() };
      }
    },
    async removeForward(vm, forwardId) {
      await ctx.api.invoke('guest.forwardRemove', { forwardId }).catch(() => {});
      await slice().loadForwards(vm);
    },
    async loadSshCommand(vm) {
      try {
        const ssh = await ctx.api.invoke('guest.sshCommand', vm);
        patch({ ssh: { ...slice().ssh, [guestKey(vm)]: ssh } });
      } catch (caught) {
        patch({ ssh: { ...slice().ssh, [guestKey(vm)]: undefined } });
        setError(vm, toFiredeckError(caught).shape());
      }
    },
    async forgetHostKey(vm) {
      await ctx.api.invoke('guest.forgetHostKey', vm).catch(() => {});
      setError(vm, undefined);
      await slice().refreshStatus(vm);
    },
    async previewSync(vm, request) {
      try {
        const preview = await ctx.api.invoke('guest.syncPreview', { ...vm, workspaceId: request.workspaceId, path: request.path, guestDir: request.guestPath });
        return { ok: true, preview };
      } catch (caught) {
        return { ok: false, error: toFiredeckError(caught).shape() };
      }
    },
    async transfer(vm, kind, request) {
      const key = guestKey(vm);
      const transferId = crypto.randomUUID();
      patch({ transfers: { ...slice().transfers, [key]: [{ transferId, kind, sent: 0, total: 0, state: 'running' as const }, ...(slice().transfers[key] ?? [])].slice(0, 10) } });
      try {
        if (kind === 'copy out') {
          const done = await ctx.api.invoke('guest.copyOut', { ...vm, workspaceId: request.workspaceId, guestPath: request.guestPath, dir: request.path, transferId });
          updateTransfer(transferId, { state: 'done', message: `${done.files} file(s), ${done.bytes} bytes into ${done.destination || 'the workspace'}` });
        } else if (kind === 'copy in') {
          const done = await ctx.api.invoke('guest.copyIn', { ...vm, workspaceId: request.workspaceId, path: request.path, guestDir: request.guestPath, transferId });
          updateTransfer(transferId, { state: 'done', message: `${done.files} file(s), ${done.bytes} bytes to ${done.destination}` });
        } else {
          const deleting = request.planId ? { deleteExtraneous: true, planId: request.planId } : {};
          const done = await ctx.api.invoke('guest.sync', { ...vm, workspaceId: request.workspaceId, path: request.path, guestDir: request.guestPath, transferId, ...deleting });
          const gone = request.planId ? `, ${done.deleted} deleted${done.skipped ? ` (${done.skipped} no longer there or outside the folder, left)` : ''}` : '';
          updateTransfer(transferId, { state: 'done', message: `${done.sent.length} sent (${done.bytes} bytes), ${done.unchanged} unchanged${gone}` });
        }
      } catch (caught) {
        const error = toFiredeckError(caught);
        updateTransfer(transferId, { state: 'failed', message: `${error.message}${error.remedy ? ` ${error.remedy}` : ''}` });
      }
    },
    async cancelTransfer(transferId) {
      await ctx.api.invoke('transfers.cancel', { transferId }).catch(() => {});
    },
    dismissError: (vm) => setError(vm, undefined),
    applyForwards: (vm, forwards) => {
      // Only the forwards this window knows of: another window's are its own.
      const mine = new Set((slice().forwards[guestKey(vm)] ?? []).map((f) => f.forwardId));
      patch({ forwards: { ...slice().forwards, [guestKey(vm)]: forwards.filter((f) => mine.has(f.forwardId)) } });
    },
    applyProgress: (transferId, sent, total) => updateTransfer(transferId, { sent, total }),
  };
}
