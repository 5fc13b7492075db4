import { randomBytes } from 'node:crypto';
import { AppError } from '../app-error.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { withArguments } from '../ssh/host-script.js';
import type { HostScript } from '../ssh/host-script.js';
import { shellCommand } from '../ssh/shell-quote.js';
import type { ClientChannel } from '../ssh/ssh2.js';

/** A named exit of a streaming script that the caller must interpret (not a user-facing failure). */
export class ScriptExit<O extends string> extends Error {
  constructor(
    readonly outcome: O | 'failed',
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`the host script ended with exit ${exitCode ?? 'unknown'}${stderr ? `: ${stderr}` : ''}`);
    this.name = 'ScriptExit';
  }
}

export interface ScriptStreamOptions {
  /** How long the script may take to print its marker. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Runs a host script on an SSH channel of its own and hands the channel over once the script has
 * printed its marker (passed as its last positional argument): from then on the channel's stdout
 * is the script's stream (the console, an API relay), with nothing a login script printed before
 * it. If the script ends before the marker, a named failure of the script becomes its AppError; a
 * named outcome, or any other exit, rejects with ScriptExit for the caller to interpret.
 */
export async function openScriptStream<O extends string>(
  connection: HostConnection,
  script: HostScript<O>,
  args: readonly (string | number)[],
  options: ScriptStreamOptions = {},
): Promise<ClientChannel> {
  if (options.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
  const marker = `__FIREDECK_STREAM_${randomBytes(8).toString('hex')}__`;
  const channel = await openChannel(connection, shellCommand('exec', '/bin/sh', '-c', withArguments(script.source, [...args, marker])));
  channel.on('error', () => {}); // 'close' follows and carries the consequence
  let stderr = '';
  const onStderr = (chunk: Buffer) => {
    if (stderr.length < 4096) stderr += chunk.toString('utf8');
  };
  channel.stderr.on('data', onStderr); // unread stderr would stall the channel once its window fills
  channel.stderr.on('error', () => {});

  return new Promise<ClientChannel>((resolve, reject) => {
    const wanted = Buffer.from(`${marker}\n`);
    let seen = Buffer.alloc(0);
    let exitCode: number | null = null;
    const onExit = (code: number | null) => {
      exitCode = code;
    };
    const cleanup = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      channel.removeListener('data', onData);
      channel.removeListener('exit', onExit);
      channel.removeListener('close', onClose);
    };
    const fail = (error: Error) => {
      cleanup();
      channel.close();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const at = seen.indexOf(wanted);
      if (at === -1) {
        // Keep only what could still hold the start of the marker: login noise can be long.
        if (seen.length > 64 * 1024) seen = seen.subarray(seen.length - wanted.length);
        return;
      }
      cleanup();
      channel.pause();
      const rest = seen.subarray(at + wanted.length);
      if (rest.length > 0) channel.unshift(rest);
      resolve(channel);
    };
    const onClose = () => {
      cleanup();
      const said = stderr.trim();
      const failure = exitCode !== null ? script.failures[exitCode] : undefined;
      if (failure) {
        const message = typeof failure.message === 'function' ? failure.message({ output: '', stderr: said }) : failure.message;
        reject(new AppError(failure.code, message, { ...(failure.remedy ? { remedy: failure.remedy } : {}), details: { script: script.name, exitCode } }));
        return;
      }
      const outcome = exitCode !== null ? script.outcomes[exitCode] : undefined;
      reject(new ScriptExit<O>(outcome ?? 'failed', exitCode, said.split('\n').slice(-3).join(' / ')));
    };
    const onAbort = () => fail(new AppError('CANCELLED', 'Cancelled.'));
    const limit = options.timeoutMs ?? 15_000;
    const timer = setTimeout(
      () => fail(new AppError('COMMAND_TIMEOUT', `${script.what} on ${connection.name} did not start within ${Math.round(limit / 1000)} s.`, { remedy: 'Check the host’s load and try again.' })),
      limit,
    );
    options.signal?.addEventListener('abort', onAbort, { once: true });
    channel.on('data', onData);
    channel.on('exit', onExit);
    channel.on('close', onClose);
  });
}

/**
 * One exec channel for a long-lived stream. It is an SSH session held for as long as the stream
 * lives, so it goes through openStream: the connection never gives it the last session short
 * commands need, and opens another connection to the host when the first is full.
 */
function openChannel(connection: HostConnection, command: string): Promise<ClientChannel> {
  return connection.openStream(
    'session',
    (client) =>
      new Promise<ClientChannel>((resolve, reject) =>
        client.exec(command, (error, stream) =>
          error
            ? reject(new AppError('SSH_CHANNEL_FAILED', `${connection.name} refused to open an SSH channel: ${error.message}.`, {
                remedy: 'The host may limit SSH sessions (MaxSessions in sshd_config); close a console, or try again in a moment.',
                cause: error,
              }))
            : resolve(stream),
        ),
      ),
  );
}
