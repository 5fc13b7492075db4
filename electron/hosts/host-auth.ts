import { parseProxyJump } from '../../shared/channels/hosts.js';
import type { HostRecord } from '../../shared/channels/hosts.js';
import { AppError } from '../app-error.js';
import type { SecretStore } from '../secrets/secret-store.js';
import { loadPrivateKey } from '../ssh/private-key.js';
import type { ResolvedAuth, SshTarget } from '../ssh/ssh-connect.js';

export interface AuthSources {
  secrets: SecretStore;
  /** SSH_AUTH_SOCK of the environment Firedeck started in; hosts may name another socket. */
  defaultAgentSocket?: string;
}

/**
 * What a host's connection authenticates with, from its settings and the secrets at hand. A
 * password or passphrase still to be asked for is `pending`, with the reason to report.
 */
export async function resolveAuth(record: HostRecord, sources: AuthSources): Promise<ResolvedAuth> {
  const { auth } = record;
  switch (auth.method) {
    case 'agent': {
      const socket = auth.agentSocket || sources.defaultAgentSocket;
      if (!socket) {
        throw new AppError('AGENT_UNAVAILABLE', 'Firedeck does not know where your SSH agent is (SSH_AUTH_SOCK is not set for it).', {
          remedy: 'Set the agent socket in the host’s settings (ssh-add -l in a terminal shows whether an agent runs; echo $SSH_AUTH_SOCK shows its path).',
        });
      }
      return { method: 'agent', agentSocket: socket, fromEnvironment: !auth.agentSocket };
    }
    case 'key': {
      const passphrase = await sources.secrets.get(record.id);
      try {
        return { method: 'key', keyPath: auth.keyPath, privateKey: await loadPrivateKey(auth.keyPath, passphrase), ...(passphrase !== undefined ? { passphrase } : {}) };
      } catch (error) {
        if (error instanceof AppError && error.code === 'KEY_PASSPHRASE_REQUIRED') return { method: 'pending', reason: error };
        throw error;
      }
    }
    case 'password': {
      const password = await sources.secrets.get(record.id);
      if (password !== undefined) return { method: 'password', password };
      return {
        method: 'pending',
        reason: new AppError('SECRET_REQUIRED', `Enter the password for ${record.user}@${record.address}.`, {
          remedy: 'Firedeck asks for it once per session unless you let it remember it.',
        }),
      };
    }
  }
}

/** Where and as whom to connect, through the ProxyJump host if there is one. */
export async function resolveTarget(record: HostRecord, sources: AuthSources): Promise<SshTarget> {
  const auth = await resolveAuth(record, sources);
  const target: SshTarget = { host: record.address, port: record.port, user: record.user, auth };
  const jump = record.proxyJump ? parseProxyJump(record.proxyJump) : null;
  // The jump host uses the same credentials, as `ssh -J` does with one identity.
  if (jump) target.jump = { host: jump.host, port: jump.port ?? 22, user: jump.user ?? record.user, auth };
  return target;
}
