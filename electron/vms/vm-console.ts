import { randomBytes } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import { AppError } from '../app-error.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { shq } from '../ssh/shell-quote.js';
import type { ClientChannel } from '../ssh/ssh2.js';
import type { VmPaths } from './vm-host-scripts.js';

export interface ConsoleSession {
  write(data: string): void;
  close(reason: string): void;
}

/**
 * A live serial console on one SSH channel: the host streams the console log (from its start,
 * then as it grows) and whatever the user types goes into the VM's console FIFO, which is
 * Firecracker's stdin. Closing the channel ends both sides on the host.
 */
export async function openConsole(
  connection: HostConnection,
  paths: VmPaths,
  handlers: { onData(data: string): void; onClose(reason: string): void },
): Promise<ConsoleSession> {
  const marker = `__FIREDECK_CONSOLE_${randomBytes(6).toString('hex')}__`;
  const script = [
    `printf '%s\\n' ${marker}`,
    `tail -c +1 -f -- ${shq(paths.log)} & tail_pid=$!`,
    `cat > ${shq(paths.fifo)}`,
    'kill "$tail_pid" 2>/dev/null',
  ].join('\n');
  const channel = await connection.withClient(
    (client) =>
      new Promise<ClientChannel>((resolve, reject) =>
        client.exec(`exec /bin/sh -c ${shq(script)}`, (error, stream) =>
          error ? reject(new AppError('CONSOLE_UNAVAILABLE', `The console could not be opened: ${error.message}.`, { cause: error })) : resolve(stream),
        ),
      ),
  );
  const decoder = new StringDecoder('utf8');
  // Whatever a login script prints comes before the marker and is dropped.
  let started = false;
  let pending = '';
  channel.on('data', (chunk: Buffer) => {
    const text = decoder.write(chunk);
    if (started) return text && handlers.onData(text);
    pending += text;
    const at = pending.indexOf(`${marker}\n`);
    if (at === -1) return;
    started = true;
    const rest = pending.slice(at + marker.length + 1);
    pending = '';
    if (rest) handlers.onData(rest);
  });
  channel.on('close', () => handlers.onClose('The console connection closed.'));
  channel.on('error', () => {}); // 'close' follows and tells the user
  channel.stderr.resume(); // unread stderr would stall the channel once its window fills
  return {
    write: (data) => {
      channel.write(data);
    },
    close: () => {
      channel.end();
      channel.close();
    },
  };
}
