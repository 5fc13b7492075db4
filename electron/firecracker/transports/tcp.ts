import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { AppError } from '../../app-error.js';
import type { ApiConnector } from '../client.js';

/**
 * A socat port the user chose to expose on the LAN. The Firecracker API has no authentication,
 * so anyone who reaches this port controls the VM; the UI marks this transport unsafe.
 */
export function tcpConnector(host: string, port: number, timeoutMs = 10_000): ApiConnector {
  return () =>
    new Promise<Duplex>((resolve, reject) => {
      const socket = connect({ host, port, timeout: timeoutMs });
      socket.once('connect', () => {
        socket.setTimeout(0);
        resolve(socket);
      });
      socket.once('timeout', () => socket.destroy(new Error('timed out')));
      socket.once('error', (error) =>
        reject(new AppError('FIRECRACKER_UNREACHABLE', `The API port ${host}:${port} could not be reached: ${error.message}.`, { remedy: 'Check the host’s firewall and that the VM is running.', cause: error })),
      );
    });
}
