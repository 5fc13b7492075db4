import { StringDecoder } from 'node:string_decoder';
import vmConsoleSource from '../host-scripts/vm-console.sh';
import { AppError } from '../app-error.js';
import type { OwnedResource } from '../app/resources.js';
import { openScriptStream } from '../firecracker/script-stream.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { hostScript } from '../ssh/host-script.js';
import type { ClientChannel } from '../ssh/ssh2.js';
import type { VmPaths } from './vm-paths.js';

/** DIR OFFSET (the marker is added by openScriptStream). */
const vmConsole = hostScript({
  name: 'vm-console',
  source: vmConsoleSource,
  what: 'Opening the console',
  failures: { 3: { code: 'CONSOLE_UNAVAILABLE', message: 'The microVM’s run directory is gone from the host.', remedy: 'Refresh the list.' } },
});

export interface ConsoleSession extends OwnedResource {
  /** Sends keystrokes to the guest; false while the console is reconnecting (nothing was sent). */
  write(data: string): boolean;
}

export interface ConsoleHandlers {
  onData(data: string): void;
  /** The channel was lost and is being reopened, or is open again. */
  onState(state: 'reconnecting' | 'connected', message: string): void;
  /** The console is closed for good (by its owner, its idle timeout, or a host that is gone). */
  onClose(reason: string): void;
}

/** After this many failed reopens on a connected host, the console gives up (the VM is likely gone). */
const MAX_REOPEN_FAILURES = 3;

/**
 * A live serial console on one SSH channel (vm-console.sh): the console log from its start, then
 * as it grows, and whatever the user types into the VM's console FIFO. When the channel is lost
 * with its connection (sshd restarted, network gone), the console waits for the host's connection
 * to come back and reopens where it left off: it counts the bytes of the log it has delivered.
 */
export async function openConsole(connection: HostConnection, paths: VmPaths, handlers: ConsoleHandlers): Promise<ConsoleSession> {
  const decoder = new StringDecoder('utf8');
  let delivered = 0;
  let channel: ClientChannel | undefined;
  let closed = false;
  const wakers = new Set<() => void>();

  async function attach(): Promise<void> {
    const opened = await openScriptStream(connection, vmConsole, [paths.dir, delivered + 1], { timeoutMs: 15_000 });
    if (closed) {
      opened.close();
      return;
    }
    channel = opened;
    // The stream starts with `@from N` (vm-console.sh): where it really starts in the VM's console
    // bytes, past where it was asked when that part of the log was rotated away.
    let header: Buffer | undefined = Buffer.alloc(0);
    opened.on('data', (data: Buffer) => {
      let chunk = data;
      if (header) {
        header = Buffer.concat([header, chunk]);
        const end = header.indexOf(0x0a);
        if (end === -1) return;
        const from = /^@from (\d+)$/.exec(header.subarray(0, end).toString('latin1'));
        if (from) delivered = Number(from[1]) - 1;
        chunk = header.subarray(end + 1);
        header = undefined;
      }
      delivered += chunk.length;
      const text = decoder.write(chunk);
      if (text) handlers.onData(text);
    });
    opened.on('close', () => {
      if (channel !== opened) return;
      channel = undefined;
      if (!closed) void reopen();
    });
    opened.resume();
  }

  function finish(reason: string) {
    if (closed) return;
    closed = true;
    for (const wake of [...wakers]) wake();
    const current = channel;
    channel = undefined;
    if (current) {
      current.end();
      current.close();
    }
    handlers.onClose(reason);
  }

  /** Resolves when the connection is up again, or with why it will not be. */
  function connected(): Promise<'up' | 'closed' | string> {
    const now = connection.state;
    if (now.state === 'connected') return Promise.resolve('up');
    return new Promise((resolve) => {
      const done = (outcome: 'up' | 'closed' | string) => {
        off();
        wakers.delete(wake);
        resolve(outcome);
      };
      const wake = () => done('closed');
      const off = connection.onState((state) => {
        if (state.state === 'connected') done('up');
        else if (state.state === 'failed') done(`${connection.name} is not connected any more: ${state.error.message}`);
        else if (state.state === 'disconnected') done(`${connection.name} was disconnected.`);
      });
      wakers.add(wake);
    });
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      wakers.add(wake);
    });
  }

  async function reopen() {
    handlers.onState('reconnecting', `The console lost its connection to ${connection.name}; reconnecting…`);
    let failures = 0;
    while (!closed) {
      const up = await connected();
      if (closed) return;
      if (up !== 'up') return finish(up);
      try {
        await attach();
        if (!closed) handlers.onState('connected', 'Reconnected: type to send keys to the guest');
        return;
      } catch (error) {
        if (closed) return;
        // A failure while the connection is down again is the connection's; the loop waits for it.
        if (connection.state.state === 'connected') failures += 1;
        if (failures >= MAX_REOPEN_FAILURES) {
          return finish(`The console could not be reopened: ${error instanceof Error ? error.message : String(error)}`);
        }
        await pause(250 * 2 ** failures);
      }
    }
  }

  try {
    await attach();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('CONSOLE_UNAVAILABLE', `The console could not be opened: ${(error as Error).message}.`, { remedy: 'Check that the microVM is running, then open its page again.', cause: error });
  }
  return {
    write(data) {
      if (!channel) return false;
      channel.write(data);
      return true;
    },
    close: finish,
  };
}
