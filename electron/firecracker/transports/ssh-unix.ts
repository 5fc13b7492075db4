import type { Duplex } from 'node:stream';
import { AppError } from '../../app-error.js';
import type { HostConnection } from '../../ssh/host-connection.js';
import type { ApiConnector } from '../client.js';

/** SSH's reason code for a channel the server refuses by policy (RFC 4254 §5.1). */
const ADMINISTRATIVELY_PROHIBITED = 1;

/**
 * sshd would not open the stream-local channel. `prohibited` is sshd saying it forbids this
 * (reason 1). Otherwise the answer is ambiguous: OpenSSH (9.2 at least) answers "open failed"
 * with reason 2 both when the socket refuses connections and when AllowStreamLocalForwarding is
 * off, so one dead VM must not be taken for a host that forbids forwarding (see ssh-choice.ts).
 */
export class StreamLocalOpenFailed extends AppError {
  constructor(
    readonly socketPath: string,
    readonly prohibited: boolean,
    cause: unknown,
  ) {
    super(
      prohibited ? 'STREAMLOCAL_FORBIDDEN' : 'FIRECRACKER_UNREACHABLE',
      prohibited
        ? 'The host’s sshd does not let Firedeck open the API socket (stream-local forwarding is forbidden).'
        : `The host’s sshd could not open the API socket ${socketPath}: ${(cause as Error).message}.`,
      { remedy: prohibited ? 'Use the ssh-exec transport for this host.' : 'Check that the VM’s Firecracker process is still running.', cause },
    );
  }
}

/**
 * The default: ssh2 opens a `direct-streamlocal` channel straight to the VM's API socket on the
 * host (what `ssh -L local.sock:remote.sock` does). No port listens anywhere, and such channels
 * are not sessions, so they do not count against sshd's MaxSessions.
 */
export function sshUnixConnector(connection: HostConnection, socketPath: string): ApiConnector {
  return () =>
    connection.openStream(
      'forward',
      (client) =>
        new Promise<Duplex & { once(event: 'close', listener: () => void): unknown }>((resolve, reject) => {
          client.openssh_forwardOutStreamLocal(socketPath, (error, stream) => {
            if (!error) return resolve(stream);
            const reason = (error as Error & { reason?: unknown }).reason;
            reject(new StreamLocalOpenFailed(socketPath, reason === ADMINISTRATIVELY_PROHIBITED, error));
          });
        }),
    );
}
