import type { ConnectionState } from '../../shared/channels/hosts.js';
import { AppError } from '../app-error.js';
import { createChannelLimiter } from './channel-limiter.js';
import { frameScript } from './remote-command.js';
import { fatalConnectCodes } from './ssh-connect.js';
import type { ClientChannel, SshClient } from './ssh2.js';

export interface ExecResult {
  output: string;
  stderr: string;
  exitCode: number;
}

export interface ExecOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Sent to the script's standard input, then end of file: a string (e.g. a sudo password, never
   * an argument) or a stream (e.g. an upload where SFTP cannot start).
   */
  stdin?: string | NodeJS.ReadableStream;
}

/**
 * One host's SSH connection, kept open and shared by everything that talks to the host (one
 * connection per host: a fresh one per command costs ~0.4 s). It reconnects with backoff when
 * the connection drops, and stops trying when only the user can fix the cause.
 */
export interface HostConnection {
  /** A label for messages, e.g. "build-01 (10.0.0.5)". */
  readonly name: string;
  readonly state: ConnectionState;
  /** Connects (or waits for the attempt under way); rejects with the reason it could not. */
  connect(): Promise<void>;
  disconnect(): void;
  /** Runs a /bin/sh script on the host, framed against login-shell noise, within the channel limit. */
  exec(script: string, options?: ExecOptions): Promise<ExecResult>;
  /** Runs `work` with the live client inside the channel limit (SFTP, forwarding). */
  withClient<T>(work: (client: SshClient) => Promise<T>): Promise<T>;
  onState(listener: (state: ConnectionState) => void): () => void;
}

export interface HostConnectionOptions {
  /** A label for messages, e.g. "build-01 (10.0.0.5)". */
  name: string;
  /** Opens an authenticated client; called for the first connection and every reconnect. */
  open(): Promise<SshClient>;
  /** At most this many channels at once on this connection (sshd's MaxSessions is 10). */
  maxChannels?: number;
  reconnect?: { initialMs: number; maxMs: number };
  now?: () => Date;
}

const MAX_OUTPUT = 32 * 1024 * 1024;
const CHANNEL_RETRIES = 8;

export function createHostConnection(options: HostConnectionOptions): HostConnection {
  const { name } = options;
  const now = options.now ?? (() => new Date());
  const backoff = options.reconnect ?? { initialMs: 500, maxMs: 30_000 };
  const limiter = createChannelLimiter(options.maxChannels ?? 8);
  const listeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = { state: 'disconnected' };
  let client: SshClient | undefined;
  let attempt: Promise<void> | undefined;
  let wanted = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retries = 0;

  function setState(next: ConnectionState) {
    state = next;
    for (const listener of [...listeners]) listener(next);
  }

  function adopt(next: SshClient) {
    client = next;
    retries = 0;
    setState({ state: 'connected', since: now().toISOString() });
    next.on('error', () => {}); // 'close' follows and carries the consequence
    next.once('close', () => {
      if (client !== next) return;
      client = undefined;
      if (wanted) scheduleRetry(lostError());
      else setState({ state: 'disconnected' });
    });
  }

  function scheduleRetry(error: AppError) {
    retries += 1;
    const delay = Math.min(backoff.initialMs * 2 ** (retries - 1), backoff.maxMs);
    setState({ state: 'reconnecting', attempt: retries, retryAt: new Date(now().getTime() + delay).toISOString(), error: error.toShape() });
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => {
      if (!wanted) return;
      void open().catch(() => {});
    }, delay);
  }

  function open(): Promise<void> {
    attempt ??= options
      .open()
      .then(
        (next) => {
          if (!wanted) {
            next.end();
            return;
          }
          adopt(next);
        },
        (error: unknown) => {
          const appError = error instanceof AppError ? error : lostError(error);
          if (!wanted) throw appError; // the user disconnected meanwhile
          // A dropped connection retries on its own; a first attempt that fails, or a cause only
          // the user can fix (a host key, a password), stops and is reported.
          if (state.state === 'reconnecting' && !fatalConnectCodes.has(appError.code)) {
            scheduleRetry(appError);
          } else {
            wanted = false;
            setState({ state: 'failed', error: appError.toShape() });
          }
          throw appError;
        },
      )
      .finally(() => {
        attempt = undefined;
      });
    return attempt;
  }

  function lostError(cause?: unknown) {
    return new AppError('SSH_CONNECTION_LOST', `The SSH connection to ${name} was lost.`, {
      remedy: 'Firedeck reconnects on its own. If it keeps failing, check that the host is up and sshd is running.',
      cause,
    });
  }

  function notConnected(): AppError {
    const reconnecting = state.state === 'reconnecting';
    return new AppError('HOST_NOT_CONNECTED', `${name} is not connected${reconnecting ? ' (Firedeck is reconnecting)' : ''}.`, {
      remedy: reconnecting ? 'Wait for the connection to come back, then try again.' : 'Connect to the host first.',
    });
  }

  /**
   * sshd frees a session slot a moment after it closes the channel, and a host may allow fewer
   * sessions than our limit (MaxSessions), so a refused channel is retried a few times.
   */
  async function openExec(live: SshClient, command: string): Promise<ClientChannel> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await new Promise<ClientChannel>((resolve, reject) => live.exec(command, (error, stream) => (error ? reject(error) : resolve(stream))));
      } catch (error) {
        const refused = error instanceof Error && /open failed/i.test(error.message);
        if (!refused || attempt >= CHANNEL_RETRIES || client !== live) {
          throw new AppError('SSH_CHANNEL_FAILED', `${name} refused to run a command: ${(error as Error).message}.`, {
            remedy: 'The host may limit SSH sessions (MaxSessions in sshd_config); try again in a moment.',
            cause: error,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
      }
    }
  }

  async function runExec(live: SshClient, script: string, execOptions: ExecOptions): Promise<ExecResult> {
    if (execOptions.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    const framed = frameScript(script);
    const stream = await openExec(live, framed.command);
    if (typeof execOptions.stdin === 'string') stream.end(execOptions.stdin);
    return new Promise((resolve, reject) => {
      {
        let stdout = '';
        let stderr = '';
        let settled = false;
        const finish = (outcome: () => void) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          execOptions.signal?.removeEventListener('abort', onAbort);
          outcome();
        };
        const stop = (reason: AppError) => finish(() => {
          stream.close();
          reject(reason);
        });
        const timer = execOptions.timeoutMs
          ? setTimeout(() => stop(new AppError('COMMAND_TIMEOUT', `A command on ${name} did not finish within ${Math.round(execOptions.timeoutMs! / 1000)} s.`, { remedy: 'Check the host’s load and try again.' })), execOptions.timeoutMs)
          : undefined;
        const onAbort = () => stop(new AppError('CANCELLED', 'Cancelled.'));
        execOptions.signal?.addEventListener('abort', onAbort, { once: true });
        stream.on('data', (chunk: Buffer) => {
          if (stdout.length < MAX_OUTPUT) stdout += chunk.toString('utf8');
        });
        stream.stderr.on('data', (chunk: Buffer) => {
          if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
        });
        if (execOptions.stdin && typeof execOptions.stdin !== 'string') {
          execOptions.stdin.once('error', (error: Error) => stop(new AppError('PUSH_FAILED', `Firedeck could not read what it was sending to ${name}.`, { cause: error })));
          execOptions.stdin.pipe(stream);
        }
        stream.on('close', () =>
          finish(() => {
            const parsed = framed.parse(stdout);
            if (parsed) resolve({ ...parsed, stderr });
            else reject(new AppError('SSH_CONNECTION_LOST', `The connection to ${name} dropped while a command was running; it may or may not have finished.`, {
              remedy: 'Firedeck reconnects on its own; check the result once it is back, then retry if needed.',
              details: stderr ? { stderr: stderr.slice(-2000) } : undefined,
            }));
          }),
        );
      }
    });
  }

  return {
    name,
    get state() {
      return state;
    },
    async connect() {
      if (client) return;
      wanted = true;
      clearTimeout(retryTimer);
      if (!attempt) setState({ state: 'connecting' });
      await open();
    },
    disconnect() {
      wanted = false;
      clearTimeout(retryTimer);
      const current = client;
      client = undefined;
      current?.end();
      setState({ state: 'disconnected' });
    },
    exec(script, execOptions = {}) {
      return limiter.run(() => {
        if (!client) throw notConnected();
        return runExec(client, script, execOptions);
      });
    },
    withClient(work) {
      return limiter.run(() => {
        if (!client) throw notConnected();
        return work(client);
      });
    },
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
