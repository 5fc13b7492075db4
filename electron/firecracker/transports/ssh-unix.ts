import type { Duplex } from 'node:stream';
import { AppError } from '../../app-error.js';
import type { HostConnection } from '../../ssh/host-connection.js';
import { shq } from '../../ssh/shell-quote.js';
import type { ApiConnector } from '../client.js';

/**
 * The default: ssh2 opens a `direct-streamlocal` channel straight to the VM's API socket on the
 * host (what `ssh -L local.sock:remote.sock` does). No port listens anywhere.
 */
export function sshUnixConnector(connection: HostConnection, socketPath: string): ApiConnector {
  return async () => {
    try {
      return await connection.withClient(
        (client) =>
          new Promise<Duplex>((resolve, reject) => {
            client.openssh_forwardOutStreamLocal(socketPath, (error, stream) => (error ? reject(error) : resolve(stream)));
          }),
      );
    } catch (error) {
      if (error instanceof AppError) throw error;
      // OpenSSH answers "open failed" both when the socket is gone and when stream-local
      // forwarding is disabled; a socket that is there tells the two apart.
      const exists = await connection.exec(`test -S ${shq(socketPath)}`).then((r) => r.exitCode === 0, () => false);
      if (exists) {
        throw new AppError('STREAMLOCAL_FORBIDDEN', 'The host’s sshd does not let Firedeck open the API socket (AllowStreamLocalForwarding no).', {
          remedy: 'Use the ssh-tcp transport for this host (socat on the host’s loopback), or allow stream-local forwarding in sshd_config.',
          cause: error,
        });
      }
      throw new AppError('FIRECRACKER_UNREACHABLE', `The API socket ${socketPath} is gone: the VM’s Firecracker process is not running.`, {
        remedy: 'Refresh the list; the VM shows as exited with the end of its console log.',
        cause: error,
      });
    }
  };
}
