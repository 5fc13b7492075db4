import { AppError } from '../app-error.js';
import type { HostConnection } from '../ssh/host-connection.js';
import type { HostKeyTrust } from '../ssh/host-key-trust.js';
import { fingerprintSha256 } from '../ssh/known-hosts.js';
import { Client } from '../ssh/ssh2.js';
import type { ClientChannel, SshClient } from '../ssh/ssh2.js';

/** Where the host reaches a guest's sshd (block .2 of the pool, DNAT to the guest's port 22) and who logs in. */
export interface GuestTarget {
  host: string;
  port: number;
  /** root in the wizard's root filesystems (its key is in /root/.ssh/authorized_keys). */
  user: string;
}

export interface GuestConnectOptions {
  /** The guest key the wizard made (OpenSSH private key). */
  privateKey: Buffer;
  /** Host keys of guests, recorded on first use under `alias` (Firedeck's guest_known_hosts). */
  trust: HostKeyTrust;
  /** The name the guest's host key is kept under (ssh_config's HostKeyAlias). */
  alias: string;
  readyTimeoutMs?: number;
  /** Called with the fingerprint of the key the guest presented once it is trusted. */
  onHostKey?(fingerprint: string): void;
}

/**
 * A direct-tcpip channel from the host to the guest's sshd, on the host's existing connection:
 * nothing new is opened from this computer to the host and nothing listens on the host.
 */
export async function openGuestTunnel(connection: HostConnection, target: Pick<GuestTarget, 'host' | 'port'>, vmLabel: string): Promise<ClientChannel> {
  try {
    return await connection.openStream(
      'forward',
      (client) =>
        new Promise<ClientChannel>((resolve, reject) =>
          client.forwardOut('127.0.0.1', 0, target.host, target.port, (error, channel) => (error ? reject(error) : resolve(channel))),
        ),
    );
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw tunnelError(error as Error, connection.name, target, vmLabel);
  }
}

function tunnelError(error: Error, hostName: string, target: Pick<GuestTarget, 'host' | 'port'>, vmLabel: string): AppError {
  const where = `${target.host}:${target.port}`;
  if (/prohibited/i.test(error.message)) {
    return new AppError('GUEST_SSH_DOWN', `${hostName} does not allow SSH forwarding, so Firedeck cannot reach ${vmLabel}’s sshd through it.`, {
      remedy: 'Set AllowTcpForwarding yes (or local) in the host’s sshd_config and restart sshd there.',
      cause: error,
    });
  }
  return new AppError('GUEST_SSH_DOWN', `Nothing answers SSH on ${vmLabel} (${where} from ${hostName}): ${error.message.replace(/^\(SSH\) Channel open failure: /, '')}.`, {
    remedy: 'Wait until the guest has booted. If it stays down, the guest image may have no SSH server: install openssh-server in it, or use the serial console.',
    cause: error,
  });
}

/**
 * The guest's SSH banner (`SSH-2.0-…`) through the host: a cheap check that sshd is up, without
 * logging in. Rejects with GUEST_SSH_DOWN when nothing answers or what answers is not sshd.
 */
export async function probeGuestBanner(connection: HostConnection, target: Pick<GuestTarget, 'host' | 'port'>, vmLabel: string, timeoutMs = 5_000): Promise<string> {
  const channel = await openGuestTunnel(connection, target, vmLabel);
  return new Promise((resolve, reject) => {
    let seen = '';
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      channel.removeAllListeners('data');
      channel.close();
      outcome();
    };
    const down = (why: string) =>
      finish(() =>
        reject(
          new AppError('GUEST_SSH_DOWN', `${vmLabel} accepts connections on ${target.host}:${target.port} but ${why}.`, {
            remedy: 'Wait until the guest has booted; if it stays this way, check that the guest runs an SSH server on port 22.',
          }),
        ),
      );
    const timer = setTimeout(() => down('sent no SSH banner'), timeoutMs);
    channel.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      const line = seen.split(/\r?\n/).find((l) => l.startsWith('SSH-'));
      if (line) finish(() => resolve(line.trim()));
      else if (seen.length > 8192) down('what answers is not an SSH server');
    });
    channel.once('close', () => down('closed the connection without an SSH banner'));
  });
}

/**
 * Logs in to the guest as `target.user` with the guest key, over a tunnel through the host.
 * The guest's host key is recorded the first time (trust on first use: a guest is made by
 * Firedeck from an image, so there is no one to ask) and checked on every later connection.
 *
 * This does not go through ssh-connect.ts, the door for host connections: a guest is reached
 * over a channel of the host's connection (`sock`), and its key is trusted on first use rather
 * than confirmed by the user.
 */
export async function connectGuest(connection: HostConnection, target: GuestTarget, vmLabel: string, options: GuestConnectOptions): Promise<SshClient> {
  const sock = await openGuestTunnel(connection, target, vmLabel);
  let keyProblem: AppError | undefined;
  const client = new Client();
  return new Promise((resolve, reject) => {
    let settled = false;
    client.on('error', (error: Error & { level?: string }) => {
      if (settled) return;
      settled = true;
      client.end();
      sock.close();
      reject(keyProblem ?? loginError(error, vmLabel, target));
    });
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    client.connect({
      sock,
      username: target.user,
      privateKey: options.privateKey,
      tryKeyboard: false,
      readyTimeout: options.readyTimeoutMs ?? 15_000,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        void checkHostKey(options, key, vmLabel).then(
          (problem) => {
            keyProblem = problem;
            if (!problem) options.onHostKey?.(fingerprintSha256(key));
            verify(!problem);
          },
          (error: unknown) => {
            keyProblem = error instanceof AppError ? error : new AppError('GUEST_HOST_KEY_CHANGED', `Firedeck could not check ${vmLabel}’s host key.`, { cause: error });
            verify(false);
          },
        );
      },
    });
  });
}

async function checkHostKey(options: GuestConnectOptions, key: Buffer, vmLabel: string): Promise<AppError | undefined> {
  const found = await options.trust.lookup(options.alias, 22, key);
  if (found.verdict === 'trusted') return undefined;
  if (found.verdict === 'unknown') {
    await options.trust.trust(options.alias, 22, key, { replace: false });
    return undefined;
  }
  return new AppError(
    'GUEST_HOST_KEY_CHANGED',
    `${vmLabel} presented host key ${found.fingerprint}, not the one Firedeck recorded when it first connected (${found.knownFingerprints.join(', ') || 'revoked'}).`,
    {
      remedy: 'If you rebuilt the guest or replaced its disk, use Forget host key on the VM page and connect again. Otherwise something else answers at the guest’s address: do not log in.',
      details: { fingerprint: found.fingerprint, known: found.knownFingerprints },
    },
  );
}

function loginError(error: Error & { level?: string }, vmLabel: string, target: GuestTarget): AppError {
  if (error.level === 'client-authentication' || /authentication methods failed/i.test(error.message)) {
    return new AppError('GUEST_AUTH_FAILED', `${vmLabel}’s sshd refused Firedeck’s guest key for ${target.user}.`, {
      remedy:
        'The guest’s root filesystem was not made by Firedeck’s setup (or its /root/.ssh/authorized_keys was changed). Run Set up host again to build a root filesystem with the key, or add the key shown by “SSH command” to the guest’s authorized_keys through the serial console.',
      cause: error,
    });
  }
  if (/handshake|timed out/i.test(error.message)) {
    return new AppError('GUEST_SSH_DOWN', `${vmLabel}’s SSH server did not finish the handshake in time.`, {
      remedy: 'The guest may still be booting or be overloaded; try again in a moment.',
      cause: error,
    });
  }
  return new AppError('GUEST_SSH_DOWN', `Firedeck could not log in to ${vmLabel}: ${error.message}.`, {
    remedy: 'Check on the serial console that the guest’s sshd runs, then try again.',
    cause: error,
  });
}
