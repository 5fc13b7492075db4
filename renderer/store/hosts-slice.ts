import type { ConnectionState, HostInput, HostSummary, KvmVerdict, SshConfigHost } from '../../shared/channels/hosts';
import type { AppErrorShape } from '../../shared/errors';
import { code } from '../../shared/error-codes';
import type { ErrorCode } from '../../shared/error-codes';
import { toFiredeckError } from '../api/firedeck-error';
import type { FiredeckError } from '../api/firedeck-error';
import { patchSlice } from './slice';
import type { AppState, SliceContext } from './slice';

/** What the user is asked before a connection can go on. */
export type HostPrompt =
  | { kind: 'host-key'; hostId: string; error: AppErrorShape }
  | { kind: 'secret'; hostId: string; error: AppErrorShape };

export type FormResult = { ok: true; host: HostSummary } | { ok: false; message: string; fieldErrors: Record<string, string> };

export interface HostsSlice {
  byId: Record<string, HostSummary>;
  loaded: boolean;
  /** Hosts with a request under way (connect, probe, …). */
  busy: Record<string, boolean>;
  /** The last failure per host that is not a prompt. */
  errors: Record<string, AppErrorShape | undefined>;
  prompt?: HostPrompt;
  selectedId?: string;
  load(): Promise<void>;
  save(input: HostInput, id?: string): Promise<FormResult>;
  remove(id: string): Promise<void>;
  connect(id: string, secret?: { value: string; remember: boolean }): Promise<void>;
  disconnect(id: string): Promise<void>;
  trustKey(id: string, fingerprint: string, replace: boolean): Promise<void>;
  probe(id: string): Promise<void>;
  forgetSecret(id: string): Promise<void>;
  importSshConfig(): Promise<SshConfigHost[]>;
  select(id: string | undefined): void;
  dismissPrompt(): void;
  applyChanged(host: HostSummary): void;
  applyRemoved(id: string): void;
}

const hostKeyCodes = new Set<ErrorCode>([code.HOST_KEY_UNKNOWN, code.HOST_KEY_CHANGED, code.HOST_KEY_REVOKED]);
const secretCodes = new Set<ErrorCode>([code.SECRET_REQUIRED, code.KEY_PASSPHRASE_REQUIRED, code.KEY_PASSPHRASE_WRONG]);

export function createHostsSlice(ctx: SliceContext): HostsSlice {
  const hosts = () => ctx.get().hosts;
  const patch = (changes: Partial<HostsSlice>) => patchSlice(ctx, 'hosts', changes);
  const put = (host: HostSummary) => patch({ byId: { ...hosts().byId, [host.id]: host } });
  const setBusy = (id: string, busy: boolean) => patch({ busy: { ...hosts().busy, [id]: busy } });
  const setError = (id: string, error: AppErrorShape | undefined) => patch({ errors: { ...hosts().errors, [id]: error } });

  /** Runs a host action, turning failures into the prompt or error the views show. */
  async function act(id: string, work: () => Promise<HostSummary | void>) {
    setBusy(id, true);
    setError(id, undefined);
    try {
      const host = await work();
      if (host) put(host);
    } catch (caught) {
      const error = toFiredeckError(caught);
      const shape = error.shape();
      // A key prompt needs the key's details; the same codes without them (e.g. a refused trust) are plain errors.
      const hasKey = typeof (error.details as { fingerprint?: unknown } | undefined)?.fingerprint === 'string';
      if (hostKeyCodes.has(error.code) && hasKey) patch({ prompt: { kind: 'host-key', hostId: id, error: shape } });
      else if (secretCodes.has(error.code) || (error.code === code.AUTH_FAILED && hosts().byId[id]?.auth.method === 'password')) patch({ prompt: { kind: 'secret', hostId: id, error: shape } });
      else setError(id, shape);
    } finally {
      setBusy(id, false);
    }
  }

  return {
    byId: {},
    loaded: false,
    busy: {},
    errors: {},
    async load() {
      const list = await ctx.api.invoke('hosts.list');
      patch({ byId: Object.fromEntries(list.map((h) => [h.id, h])), loaded: true });
    },
    async save(input, id) {
      try {
        const host = id ? await ctx.api.invoke('hosts.update', { id, host: input }) : await ctx.api.invoke('hosts.add', input);
        put(host);
        return { ok: true, host };
      } catch (caught) {
        const error: FiredeckError = toFiredeckError(caught);
        return { ok: false, message: error.message, fieldErrors: error.fieldErrors() };
      }
    },
    async remove(id) {
      await act(id, async () => {
        await ctx.api.invoke('hosts.remove', { id });
        hosts().applyRemoved(id);
      });
    },
    connect: (id, secret) =>
      act(id, async () => {
        patch({ prompt: undefined });
        return ctx.api.invoke('hosts.connect', { id, ...(secret ? { secret: secret.value, remember: secret.remember } : {}) });
      }),
    disconnect: (id) => act(id, () => ctx.api.invoke('hosts.disconnect', { id })),
    trustKey: (id, fingerprint, replace) =>
      act(id, async () => {
        patch({ prompt: undefined });
        await ctx.api.invoke('hosts.trustKey', { id, fingerprint, replace });
        return ctx.api.invoke('hosts.connect', { id });
      }),
    probe: (id) =>
      act(id, async () => {
        await ctx.api.invoke('hosts.probe', { id });
      }),
    forgetSecret: (id) => act(id, () => ctx.api.invoke('hosts.forgetSecret', { id })),
    importSshConfig: () => ctx.api.invoke('hosts.importSshConfig'),
    select: (selectedId) => patch({ selectedId }),
    dismissPrompt: () => patch({ prompt: undefined }),
    applyChanged: (host) => put(host),
    applyRemoved(id) {
      const { [id]: _removed, ...byId } = hosts().byId;
      patch({ byId, ...(hosts().selectedId === id ? { selectedId: undefined } : {}) });
    },
  };
}

/** Hosts in the order the list shows them: by name, then address. */
export function selectHostList(state: AppState): HostSummary[] {
  return Object.values(state.hosts.byId).sort((a, b) => a.label.localeCompare(b.label) || a.address.localeCompare(b.address));
}

/**
 * What went wrong with a host, for its row and page: the last failed request, else why its
 * connection is down (failed, reconnecting, or left disconnected at start for lack of a secret).
 */
export function hostFailure(host: HostSummary, lastError?: AppErrorShape): AppErrorShape | undefined {
  if (lastError) return lastError;
  const { connection } = host;
  if (connection.state === 'failed' || connection.state === 'reconnecting') return connection.error;
  if (connection.state === 'disconnected') return connection.reason;
  return undefined;
}

export function connectionLabel(connection: ConnectionState): string {
  switch (connection.state) {
    case 'connected':
      return 'Connected';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return `Reconnecting (attempt ${connection.attempt})…`;
    case 'failed':
      return 'Not connected';
    case 'disconnected':
      return connection.reason ? 'Not connected' : 'Disconnected';
  }
}

export const kvmLabels: Record<KvmVerdict, string> = {
  ok: 'KVM ready',
  missing: 'No /dev/kvm',
  'no-virtualization': 'No virtualization',
  permission: 'No KVM access',
  unknown: 'KVM unknown',
};
