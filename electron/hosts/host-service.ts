import { access, constants, stat } from 'node:fs/promises';
import type { ApiTransportInUse, Arch, FirecrackerTransport, HostConfig, HostProbe, HostRecord, HostSummary, SshConfigHost } from '../../shared/channels/hosts.js';
import type { AppErrorShape } from '../../shared/errors.js';
import { AppError } from '../app-error.js';
import type { EventBus } from '../event-bus.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { createHostConnection } from '../ssh/host-connection.js';
import type { HostConnection } from '../ssh/host-connection.js';
import type { HostKeyTrust } from '../ssh/host-key-trust.js';
import { runHostScript } from '../ssh/host-script.js';
import { connectSsh } from '../ssh/ssh-connect.js';
import { firedeckDirRepair } from './firedeck-dir-repair.js';
import { resolveAuth, resolveTarget } from './host-auth.js';
import type { HostRegistry } from './host-registry.js';
import { hostProbe, parseProbe } from './host-probe.js';

export interface HostService {
  list(): HostSummary[];
  add(config: HostConfig): Promise<HostSummary>;
  update(id: string, config: HostConfig): Promise<HostSummary>;
  remove(id: string): Promise<boolean>;
  /** Connects (with a password or passphrase when given) and probes the host. */
  connect(id: string, secret?: { value: string; remember: boolean }): Promise<HostSummary>;
  /** The user's Disconnect: the host also stays disconnected at the next start. */
  disconnect(id: string): HostSummary;
  /**
   * At backend start: connects every host that was connected (see HostRecord.connectAtStart)
   * and needs no secret (a key without passphrase, the agent, a remembered password or
   * passphrase). The others stay disconnected with the reason. Failures show in each host's state.
   */
  connectAtStart(): Promise<void>;
  /**
   * The microVM service says which API transport it really uses on the host, and why when it
   * is not the configured one (e.g. sshd forbids stream-local forwarding). Shown on the host
   * page; emits hosts.changed when it changes.
   */
  noteApiTransport(id: string, inUse: FirecrackerTransport, reason?: string): void;
  trustKey(id: string, fingerprint: string, replace: boolean): Promise<HostSummary>;
  probe(id: string): Promise<HostProbe>;
  forgetSecret(id: string): Promise<HostSummary>;
  importSshConfig(): Promise<SshConfigHost[]>;
  /** The live connection, for other services (microVMs, images) that work on the host. */
  connection(id: string): HostConnection;
  /**
   * What services that put Firecracker to work need of a host: its summary, connection and a
   * probe with a supported architecture (probing first if it has not been probed yet).
   */
  context(id: string): Promise<HostContext>;
  close(): void;
}

export interface HostContext {
  host: HostSummary;
  connection: HostConnection;
  probe: HostProbe & { arch: Arch };
}

export interface HostServiceDeps {
  registry: HostRegistry;
  trust: HostKeyTrust;
  secrets: SecretStore;
  events: EventBus;
  /** SSH_AUTH_SOCK of the environment Firedeck started in; hosts may name another socket. */
  defaultAgentSocket?: string;
  readSshConfig(): Promise<SshConfigHost[]>;
  ssh?: { readyTimeoutMs?: number; keepaliveIntervalMs?: number; keepaliveCountMax?: number; reconnect?: { initialMs: number; maxMs: number } };
  now?: () => Date;
  /** Where problems nobody asked about are told (a host whose files could not be made private). */
  log?: { warn(message: string): void };
}

interface PresentedKey {
  host: string;
  port: number;
  key: Buffer;
  fingerprint: string;
}

export function createHostService(deps: HostServiceDeps): HostService {
  const { registry, trust, secrets, events } = deps;
  const now = deps.now ?? (() => new Date());
  const connections = new Map<string, HostConnection>();
  const probes = new Map<string, HostProbe>();
  const probeErrors = new Map<string, AppErrorShape>();
  /** Keys a host presented that were not trusted, so the user can trust exactly what they saw. */
  const presented = new Map<string, PresentedKey[]>();
  const apiTransports = new Map<string, ApiTransportInUse>();
  /** Why a host was left disconnected at start (it needs a secret). */
  const leftDisconnected = new Map<string, AppErrorShape>();
  const authSources = { secrets, defaultAgentSocket: deps.defaultAgentSocket };

  const connectionState = (id: string): HostSummary['connection'] => {
    const state = connections.get(id)?.state ?? { state: 'disconnected' };
    const reason = leftDisconnected.get(id);
    return state.state === 'disconnected' && reason ? { state: 'disconnected', reason } : state;
  };
  const summary = (record: HostRecord): HostSummary => ({
    ...record,
    connection: connectionState(record.id),
    ...(connections.get(record.id)?.lastSeenAt ? { lastConnectedAt: connections.get(record.id)!.lastSeenAt } : {}),
    ...(apiTransports.has(record.id) ? { apiTransport: apiTransports.get(record.id) } : {}),
    ...(probes.has(record.id) ? { probe: probes.get(record.id) } : {}),
    ...(probeErrors.has(record.id) ? { probeError: probeErrors.get(record.id) } : {}),
    secretRemembered: secrets.isRemembered(record.id),
  });
  const announce = (id: string) => {
    const record = registry.list().find((h) => h.id === id);
    if (record) events.emit('hosts.changed', summary(record));
  };

  function connectionFor(record: HostRecord): HostConnection {
    let connection = connections.get(record.id);
    if (connection) return connection;
    connection = createHostConnection({
      name: `${record.label} (${record.address})`,
      open: async () =>
        connectSsh(await resolveTarget(registry.get(record.id), authSources), {
          trust,
          readyTimeoutMs: deps.ssh?.readyTimeoutMs,
          keepaliveIntervalMs: deps.ssh?.keepaliveIntervalMs,
          keepaliveCountMax: deps.ssh?.keepaliveCountMax,
          onHostKey: (where, key, found) => {
            const others = (presented.get(record.id) ?? []).filter((p) => p.host !== where.host || p.port !== where.port);
            presented.set(record.id, found.verdict === 'trusted' ? others : [...others, { ...where, key, fingerprint: found.fingerprint }]);
          },
        }),
      reconnect: deps.ssh?.reconnect,
      now,
    });
    connection.onState((state) => {
      announce(record.id);
      if (state.state === 'connected') void makeFiredeckDirPrivate(connection);
    });
    connections.set(record.id, connection);
    return connection;
  }

  /** Once per connection: repairs the modes of a ~/.firedeck made before commands ran under umask 077. */
  async function makeFiredeckDirPrivate(connection: HostConnection) {
    try {
      const result = await runHostScript(connection, firedeckDirRepair, [], { timeoutMs: 60_000 });
      if (result.outcome === 'partial') {
        deps.log?.warn(`Some files under ~/.firedeck on ${connection.name} could not be made private: ${result.stderr.trim().split('\n').slice(-3).join(' / ')}`);
      }
    } catch (error) {
      deps.log?.warn(`Firedeck could not make ~/.firedeck on ${connection.name} private: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  function drop(id: string) {
    connections.get(id)?.disconnect();
    connections.delete(id);
    apiTransports.delete(id);
    leftDisconnected.delete(id);
    probes.delete(id);
    probeErrors.delete(id);
    presented.delete(id);
  }

  async function probe(id: string): Promise<HostProbe> {
    const connection = connectionFor(registry.get(id));
    try {
      const result = await runHostScript(connection, hostProbe, [], { timeoutMs: 30_000 });
      const probed = parseProbe(result.output, now());
      probes.set(id, probed);
      probeErrors.delete(id);
      return probed;
    } catch (error) {
      if (error instanceof AppError) probeErrors.set(id, error.toShape());
      throw error;
    } finally {
      announce(id);
    }
  }

  async function connect(id: string, secret?: { value: string; remember: boolean }): Promise<HostSummary> {
    const record = registry.get(id);
    if (secret) await secrets.set(id, secret.value, secret.remember);
    leftDisconnected.delete(id);
    try {
      await connectionFor(record).connect();
    } catch (error) {
      // A refused secret must not be replayed on the next attempt.
      if (error instanceof AppError && ['AUTH_FAILED', 'KEY_PASSPHRASE_WRONG'].includes(error.code)) await secrets.forget(id);
      throw error;
    }
    await registry.setConnectAtStart(id, true);
    await probe(id).catch(() => {}); // the summary carries probeError
    return summary(registry.get(id));
  }

  /** A key file must exist when the host is saved, so the form can say so next to the field. */
  async function assertKeyFileReadable(config: HostConfig) {
    if (config.auth.method !== 'key') return;
    const problem = await keyFileProblem(config.auth.keyPath);
    if (problem) {
      throw new AppError('INVALID_INPUT', `Invalid input: auth.keyPath: ${problem}`, { details: { issues: [{ path: 'auth.keyPath', message: problem }] } });
    }
  }

  return {
    list: () => registry.list().map(summary),
    async add(config) {
      await assertKeyFileReadable(config);
      return summary(await registry.add(config));
    },
    async update(id, config) {
      await assertKeyFileReadable(config);
      const before = registry.get(id);
      const record = await registry.update(id, config);
      // New address, user or credentials: the old connection no longer answers for this host.
      const { label: _a, transport: _b, ...oldAccess } = before;
      const { label: _c, transport: _d, ...newAccess } = record;
      if (JSON.stringify(oldAccess) !== JSON.stringify(newAccess)) {
        drop(id);
        await secrets.forget(id);
      }
      if (before.transport !== record.transport) apiTransports.delete(id);
      announce(id);
      return summary(record);
    },
    async remove(id) {
      drop(id);
      await secrets.forget(id);
      const removed = await registry.remove(id);
      if (removed) events.emit('hosts.removed', { id });
      return removed;
    },
    connect,
    disconnect(id) {
      const record = registry.get(id);
      connections.get(id)?.disconnect();
      void registry.setConnectAtStart(id, false).catch((error: unknown) => deps.log?.warn(`Firedeck could not note that ${record.label} stays disconnected: ${String(error)}`));
      return summary(record);
    },
    async connectAtStart() {
      await Promise.all(
        registry.list().filter((record) => record.connectAtStart !== false).map(async (record) => {
          try {
            const auth = await resolveAuth(record, authSources);
            if (auth.method === 'pending') {
              leftDisconnected.set(record.id, auth.reason.toShape());
              announce(record.id);
              return;
            }
            await connect(record.id);
          } catch {
            // The host's state carries the failure (or the host is gone).
          }
        }),
      );
    },
    noteApiTransport(id, inUse, reason) {
      const record = registry.get(id);
      const next: ApiTransportInUse = { configured: record.transport, inUse, ...(reason ? { reason } : {}) };
      if (JSON.stringify(apiTransports.get(id)) === JSON.stringify(next)) return;
      apiTransports.set(id, next);
      announce(id);
    },
    async trustKey(id, fingerprint, replace) {
      const record = registry.get(id);
      const key = (presented.get(id) ?? []).find((p) => p.fingerprint === fingerprint);
      if (!key) {
        throw new AppError('HOST_KEY_NOT_PRESENTED', `${record.label} has not presented the key ${fingerprint} in this session.`, {
          remedy: 'Connect again and compare the fingerprint Firedeck shows; only a key the host has just presented can be trusted.',
        });
      }
      await trust.trust(key.host, key.port, key.key, { replace });
      presented.set(id, (presented.get(id) ?? []).filter((p) => p !== key));
      return summary(record);
    },
    probe,
    async forgetSecret(id) {
      await secrets.forget(id);
      return summary(registry.get(id));
    },
    importSshConfig: () => deps.readSshConfig(),
    connection: (id) => connectionFor(registry.get(id)),
    async context(id) {
      const record = registry.get(id);
      const probed = probes.get(id) ?? (await probe(id));
      if (!probed.arch) throw new AppError('HOST_UNSUPPORTED', `${record.label} is a ${probed.machine} machine; Firecracker runs on x86_64 and aarch64 only.`, { remedy: 'Use an x86_64 or aarch64 host.' });
      return { host: summary(record), connection: connectionFor(record), probe: probed as HostContext['probe'] };
    },
    close() {
      for (const id of connections.keys()) connections.get(id)?.disconnect();
    },
  };
}

async function keyFileProblem(path: string): Promise<string | null> {
  try {
    if (!(await stat(path)).isFile()) return `${path} is not a file.`;
    await access(path, constants.R_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? `There is no file at ${path}.` : `Firedeck may not read ${path}.`;
  }
}
