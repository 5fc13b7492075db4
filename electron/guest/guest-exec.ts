import { StringDecoder } from 'node:string_decoder';
import type { AppErrorShape } from '../../shared/errors.js';
import type { OwnedResource } from '../app/resources.js';
import type { ClientChannel } from '../ssh/ssh2.js';
import type { GuestLease } from './guest-links.js';

export interface GuestExec extends OwnedResource {
  /** Asks the guest to end the command (SIGTERM), then closes its channel. */
  cancel(): void;
}

export interface ExecHandlers {
  onOutput(stream: 'stdout' | 'stderr', data: string): void;
  /** Once: the exit code, or null with the signal or why it ended without one. */
  onExit(outcome: { exitCode: number | null; signal?: string; error?: AppErrorShape }): void;
}

/** One command in the guest, through the guest user's shell, its output streamed as it comes. */
export async function runGuestExec(lease: GuestLease, command: string, handlers: ExecHandlers): Promise<GuestExec> {
  let exit: { exitCode: number | null; signal?: string } | undefined;
  // The exit status is an event, not buffered like the output: a short command's status can come
  // in the same read as the exec's confirmation, so the listener goes on in ssh2's callback.
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    lease.client.exec(command, (error, opened) => {
      if (error) return reject(error);
      opened.on('exit', (code: number | null, signal?: string) => {
        exit = typeof code === 'number' ? { exitCode: code } : { exitCode: null, ...(signal ? { signal: String(signal) } : {}) };
      });
      resolve(opened);
    }),
  );
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  let ended = false;
  let why: string | undefined;
  const emit = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    const text = decoders[stream].write(chunk);
    if (text) handlers.onOutput(stream, text);
  };
  channel.on('data', emit('stdout'));
  channel.stderr.on('data', emit('stderr'));
  channel.on('error', () => {});
  const finish = () => {
    if (ended) return;
    ended = true;
    lease.release();
    if (exit && (!why || why === 'cancelled')) handlers.onExit(exit);
    else
      handlers.onExit({
        exitCode: null,
        ...(exit?.signal ? { signal: exit.signal } : {}),
        error: why === 'cancelled' ? { code: 'CANCELLED', message: 'The command was cancelled.' } : { code: 'GUEST_SSH_DOWN', message: `The command’s connection to the guest ended before it did: ${why ?? 'no exit status came back'}.`, remedy: 'Run it again once the guest answers.' },
      });
  };
  channel.once('close', finish);
  lease.onClose((reason) => {
    why ??= reason;
    channel.close();
    finish();
  });
  const stop = (reason: string) => {
    if (ended) return;
    why ??= reason;
    channel.signal('TERM');
    channel.close();
  };
  return { cancel: () => stop('cancelled'), close: (reason) => stop(reason) };
}
