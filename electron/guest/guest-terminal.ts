import { StringDecoder } from 'node:string_decoder';
import type { OwnedResource } from '../app/resources.js';
import type { ClientChannel } from '../ssh/ssh2.js';
import type { GuestLease } from './guest-links.js';

export interface GuestTerminal extends OwnedResource {
  write(data: string): void;
  resize(cols: number, rows: number): void;
}

export interface TerminalHandlers {
  onData(data: string): void;
  /** Once, however it ends (logout, guest gone, its window gone). */
  onClose(reason: string): void;
}

/** An interactive shell in the guest (a pty of the xterm's size) on the guest's shared connection. */
export async function openGuestTerminal(lease: GuestLease, size: { cols: number; rows: number }, handlers: TerminalHandlers): Promise<GuestTerminal> {
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    lease.client.shell({ term: 'xterm-256color', cols: size.cols, rows: size.rows }, (error, opened) => (error ? reject(error) : resolve(opened))),
  );
  const decoder = new StringDecoder('utf8');
  let closed = false;
  const finish = (reason: string) => {
    if (closed) return;
    closed = true;
    channel.close();
    lease.release();
    handlers.onClose(reason);
  };
  channel.on('data', (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (text) handlers.onData(text);
  });
  channel.stderr.on('data', (chunk: Buffer) => handlers.onData(chunk.toString('utf8')));
  channel.on('error', () => {}); // 'close' follows
  channel.once('close', () => finish('the shell ended'));
  lease.onClose((reason) => finish(reason));
  return {
    write: (data) => {
      if (!closed) channel.write(data);
    },
    resize: (cols, rows) => {
      if (!closed) channel.setWindow(rows, cols, 0, 0);
    },
    close: (reason) => finish(reason),
  };
}
