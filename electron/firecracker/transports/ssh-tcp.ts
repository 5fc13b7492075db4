import type { Duplex } from 'node:stream';
import { AppError } from '../../app-error.js';
import type { HostConnection } from '../../ssh/host-connection.js';
import type { ApiConnector } from '../client.js';

/**
 * For hosts whose sshd forbids stream-local forwarding: socat on the host listens on
 * 127.0.0.1:PORT only (started with the VM), and ssh2 reaches it with `direct-tcpip`.
 */
export function sshTcpConnector(connection: HostConnection, port: number): ApiConnector {
  return () =>
    connection.withClient(
      (client) =>
        new Promise<Duplex>((resolve, reject) => {
          client.forwardOut('127.0.0.1', 0, '127.0.0.1', port, (error, stream) => {
            if (error) {
              reject(new AppError('FIRECRACKER_UNREACHABLE', `The API bridge on the host’s port ${port} could not be reached through SSH: ${error.message}.`, {
                remedy: 'The VM’s socat bridge may have stopped; stop and start the VM to restart it.',
                cause: error,
              }));
            } else {
              resolve(stream);
            }
          });
        }),
    );
}
