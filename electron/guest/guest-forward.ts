import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { AppError } from '../app-error.js';
import type { OwnedResource } from '../app/resources.js';
import type { ClientChannel } from '../ssh/ssh2.js';
import type { GuestLease } from './guest-links.js';

export interface PortForward extends OwnedResource {
  readonly localPort: number;
  readonly guestPort: number;
  readonly connections: number;
}

/**
 * Listens on 127.0.0.1:localPort on this computer (loopback only: other machines on the
 * network never reach the guest through it) and carries each connection to 127.0.0.1:guestPort
 * inside the guest over the guest's SSH connection. When that connection goes away (the guest
 * rebooted), the next incoming connection opens a new one.
 */
export async function startPortForward(options: {
  guestPort: number;
  localPort: number;
  lease: () => Promise<GuestLease>;
  onClose(reason: string): void;
}): Promise<PortForward> {
  let lease = await options.lease();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => void carry(socket));
  let closed = false;

  async function liveLease(): Promise<GuestLease> {
    if (lease.closed) {
      lease.release();
      lease = await options.lease();
    }
    return lease;
  }

  async function carry(socket: Socket) {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.pause();
    try {
      const { client } = await liveLease();
      const channel = await new Promise<ClientChannel>((resolve, reject) =>
        client.forwardOut('127.0.0.1', socket.remotePort ?? 0, '127.0.0.1', options.guestPort, (error, opened) => (error ? reject(error) : resolve(opened))),
      );
      channel.on('error', () => socket.destroy());
      channel.once('close', () => socket.destroy());
      socket.once('close', () => channel.close());
      socket.pipe(channel).pipe(socket);
      socket.resume();
    } catch {
      // Nothing listens on that guest port (any more), or the guest is gone: the local client sees a reset.
      socket.destroy();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      lease.release();
      if (error.code === 'EADDRINUSE') {
        reject(
          new AppError('PORT_IN_USE', `Port ${options.localPort} on this computer is already in use.`, {
            remedy: `Choose another local port, or stop the program that listens on it (lsof -nP -iTCP:${options.localPort} -sTCP:LISTEN names it).`,
          }),
        );
      } else if (error.code === 'EACCES') {
        reject(new AppError('PORT_IN_USE', `This computer does not let Firedeck listen on port ${options.localPort}.`, { remedy: 'Ports below 1024 need administrator rights: choose a port from 1024 up.' }));
      } else reject(error);
    });
    server.listen({ host: '127.0.0.1', port: options.localPort, exclusive: true }, () => resolve());
  });
  const address = server.address();
  const localPort = typeof address === 'object' && address ? address.port : options.localPort;

  return {
    localPort,
    guestPort: options.guestPort,
    get connections() {
      return sockets.size;
    },
    close(reason) {
      if (closed) return;
      closed = true;
      server.close();
      for (const socket of sockets) socket.destroy();
      lease.release();
      options.onClose(reason);
    },
  };
}
