import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { AppError } from '../../app-error.js';
import type { ApiConnector } from '../client.js';

/** Firedeck running on the KVM host itself: the API socket is local. */
export function unixConnector(socketPath: string): ApiConnector {
  return () =>
    new Promise<Duplex>((resolve, reject) => {
      const socket = connect(socketPath);
      socket.once('connect', () => resolve(socket));
      socket.once('error', (error) =>
        reject(new AppError('FIRECRACKER_UNREACHABLE', `The API socket ${socketPath} could not be opened: ${error.message}.`, { remedy: 'Check that the VM’s Firecracker process is running.', cause: error })),
      );
    });
}
