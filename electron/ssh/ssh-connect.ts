import { AppError } from '../app-error.js';
import { assertAgentReachable } from './agent-socket.js';
import { keyAuthHandler } from './key-auth.js';
import type { HostKeyLookup, HostKeyTrust } from './host-key-trust.js';
import { Client } from './ssh2.js';
import type { ClientChannel, ConnectConfig, SshClient } from './ssh2.js';

export type ResolvedAuth =
  /**
   * The secret is still to be asked for. The connection is opened anyway so that the host key
   * is checked first, as OpenSSH does; when authentication then fails, `reason` is reported.
   */
  | { method: 'pending'; reason: AppError }
  /** `fromEnvironment`: the socket is SSH_AUTH_SOCK of the environment Firedeck started in. */
  | { method: 'agent'; agentSocket: string; fromEnvironment?: boolean }
  | { method: 'key'; keyPath: string; privateKey: Buffer; passphrase?: string }
  | { method: 'password'; password: string };

export interface SshTarget {
  host: string;
  port: number;
  user: string;
  auth: ResolvedAuth;
  /** One ProxyJump hop, reached first; the target is then reached through it. */
  jump?: SshTarget;
}

export interface SshConnectOptions {
  trust: HostKeyTrust;
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /** Called with every host key checked, so the caller can offer to trust an unknown one. */
  onHostKey?(target: { host: string; port: number }, key: Buffer, found: HostKeyLookup): void;
}

/** Errors the user must act on; retrying on their own would not help. */
export const fatalConnectCodes = new Set([
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_CHANGED',
  'HOST_KEY_REVOKED',
  'AUTH_FAILED',
  'AGENT_UNAVAILABLE',
  'KEY_UNREADABLE',
  'KEY_INVALID',
  'KEY_PASSPHRASE_REQUIRED',
  'KEY_PASSPHRASE_WRONG',
  'SECRET_REQUIRED',
]);

/**
 * The one door to SSH: every connection Firedeck opens comes through here, with the host key
 * checked against known_hosts before authentication (ssh2 would accept any key otherwise).
 * Connect configs hold secrets, so they are never logged.
 */
export async function connectSsh(target: SshTarget, options: SshConnectOptions): Promise<SshClient> {
  if (!target.jump) return connectDirect(target, options);
  const jump = await connectSsh(target.jump, options);
  try {
    const sock = await new Promise<ClientChannel>((resolve, reject) =>
      jump.forwardOut('127.0.0.1', 0, target.host, target.port, (error, stream) => (error ? reject(error) : resolve(stream))),
    );
    const client = await connectDirect(target, options, sock);
    // Each end takes the other down: the target is lost when its path through the jump host is.
    client.once('close', () => jump.end());
    jump.once('close', () => client.destroy());
    return client;
  } catch (error) {
    jump.end();
    if (error instanceof AppError) throw error;
    throw new AppError('HOST_UNREACHABLE', `The jump host ${target.jump.host} could not reach ${target.host}:${target.port}.`, {
      remedy: 'Check the address and port as seen from the jump host, and that it allows TCP forwarding.',
      cause: error,
    });
  }
}

async function connectDirect(target: SshTarget, options: SshConnectOptions, sock?: ClientChannel): Promise<SshClient> {
  const { host, port, auth } = target;
  if (auth.method === 'agent') await assertAgentReachable(auth.agentSocket, { fromEnvironment: auth.fromEnvironment });
  let keyLookup: HostKeyLookup | undefined;
  let keyError: unknown;
  const client = new Client();
  const config: ConnectConfig = {
    host,
    port,
    username: target.user,
    readyTimeout: options.readyTimeoutMs ?? 20_000,
    keepaliveInterval: options.keepaliveIntervalMs ?? 10_000,
    keepaliveCountMax: options.keepaliveCountMax ?? 3,
    tryKeyboard: false,
    ...(sock ? { sock } : {}),
    ...authConfig(target.user, auth),
    hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
      options.trust.lookup(host, port, key).then(
        (found) => {
          keyLookup = found;
          options.onHostKey?.({ host, port }, key, found);
          verify(found.verdict === 'trusted');
        },
        (error: unknown) => {
          keyError = error;
          verify(false);
        },
      );
    },
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    // ssh2 may emit 'error' more than once (an agent failure, then "all methods failed"; a
    // keepalive timeout long after 'ready'), so this listener stays for the client's whole life.
    // Before 'ready' the first error decides; after it, 'close' follows and the owner of the
    // connection reports the loss.
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(keyError instanceof AppError ? keyError : hostKeyError(target, keyLookup) ?? connectError(target, error));
    });
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      // API calls and console keystrokes are small request/response messages: Nagle's
      // algorithm would hold them back waiting for ACKs (OpenSSH sets TCP_NODELAY the same way).
      client.setNoDelay(true);
      resolve(client);
    });
    client.connect(config);
  });
}

function authConfig(username: string, auth: ResolvedAuth): Partial<ConnectConfig> {
  switch (auth.method) {
    case 'pending':
      return {};
    case 'agent':
      return { agent: auth.agentSocket };
    case 'key':
      return { authHandler: keyAuthHandler(username, auth.privateKey, auth.passphrase) };
    case 'password':
      return { password: auth.password };
  }
}

function hostKeyError(target: SshTarget, found: HostKeyLookup | undefined): AppError | null {
  if (!found || found.verdict === 'trusted') return null;
  const where = target.port === 22 ? target.host : `${target.host}:${target.port}`;
  const details = { host: target.host, port: target.port, keyType: found.keyType, fingerprint: found.fingerprint, knownFingerprints: found.knownFingerprints, source: found.source };
  switch (found.verdict) {
    case 'unknown':
      return new AppError('HOST_KEY_UNKNOWN', `Firedeck has not seen the host key of ${where} before (${found.keyType} ${found.fingerprint}).`, {
        remedy: 'Check that this fingerprint is the host’s (on the host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), then trust it.',
        details,
      });
    case 'changed':
      return new AppError(
        'HOST_KEY_CHANGED',
        `The host key of ${where} has changed: it now presents ${found.fingerprint}, not the key on record. Someone may be intercepting the connection (a man-in-the-middle attack), or the host was reinstalled. Nothing was sent to it.`,
        {
          remedy: 'Do not connect until the host’s administrator has confirmed the new fingerprint. If the change is expected, replace the stored key.',
          details,
        },
      );
    case 'revoked':
      return new AppError('HOST_KEY_REVOKED', `${where} presents a host key that is marked @revoked in a known_hosts file (${found.fingerprint}). Nothing was sent to it.`, {
        remedy: 'Treat this host as compromised until its administrator issues a new key.',
        details,
      });
  }
}

function connectError(target: SshTarget, error: Error & { level?: string; code?: string }): AppError {
  const where = `${target.host}:${target.port}`;
  const { auth } = target;
  if (error.level === 'client-authentication' && auth.method === 'pending') return auth.reason;
  if (error.level === 'client-authentication' && auth.method !== 'pending') {
    const remedy = {
      password: 'Check the password and try again.',
      key: `Check that the public key of ${auth.method === 'key' ? auth.keyPath : 'the key'} is in ~/.ssh/authorized_keys of ${target.user} on the host.`,
      agent: `Check that your agent holds a key for ${target.user} (ssh-add -l). If Firedeck was started from Finder, set the agent socket in the host's settings.`,
    }[auth.method];
    const what = { password: 'password', key: 'key', agent: 'keys in your SSH agent' }[auth.method];
    return new AppError('AUTH_FAILED', `${where} did not accept the ${what} for user ${target.user}.`, { remedy, cause: error });
  }
  if (error.level === 'agent') {
    return new AppError('AGENT_UNAVAILABLE', 'Firedeck could not talk to your SSH agent.', {
      remedy: 'Start ssh-agent and add your key (ssh-add), or set the agent socket path in the host’s settings.',
      cause: error,
    });
  }
  switch (error.code) {
    case 'ECONNREFUSED':
      return new AppError('HOST_UNREACHABLE', `Nothing accepts SSH connections at ${where} (connection refused).`, {
        remedy: 'Check the address and port, and that sshd is running on the host.',
        cause: error,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AppError('HOST_UNREACHABLE', `The host name ${target.host} could not be resolved.`, {
        remedy: 'Check the spelling of the address, or use its IP address.',
        cause: error,
      });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new AppError('HOST_UNREACHABLE', `There is no network route to ${target.host}.`, {
        remedy: 'Check your network or VPN connection.',
        cause: error,
      });
  }
  if (error.level === 'client-timeout' || error.code === 'ETIMEDOUT') {
    return new AppError('HOST_UNREACHABLE', `${where} did not answer in time.`, {
      remedy: 'Check that the host is up and that no firewall drops SSH traffic.',
      cause: error,
    });
  }
  return new AppError('SSH_CONNECTION_LOST', `The SSH connection to ${where} failed: ${error.message}.`, {
    remedy: 'Check that the host is up and reachable, then connect again.',
    cause: error,
  });
}
