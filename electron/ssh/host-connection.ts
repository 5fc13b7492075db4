import type { ConnectionState } from '../../shared/channels/hosts.js';
import { AppError } from '../app-error.js';
import { createChannelLimiter } from './channel-limiter.js';
import type { ChannelLimiter, SessionSlot } from './channel-limiter.js';
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
 * What a long-lived channel is to sshd. `session`: an exec, shell or subsystem channel (a
 * console, a terminal, an exec relay to an API socket); sshd allows MaxSessions of them per
 * connection. `forward`: a direct-tcpip or direct-streamlocal channel (ssh-unix API
 * connections); sshd does not count those as sessions.
 */
export type StreamKind = 'session' | 'forward';

/** What a channel-opening callback resolves with: an ssh2 channel (or any stream that says when it has closed). */
export interface StreamChannel {
  once(event: 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** How the host's channels are spread over SSH connections, for the host page and tests. */
export interface ConnectionUsage {
  /** SSH connections open to the host: the main one and those opened for long-lived sessions. */
  connections: number;
  links: {
    /** The main connection (short commands) or one opened for long-lived sessions. */
    main: boolean;
    /** Session channels in use (short commands and long-lived sessions). */
    sessions: number;
    /** Of those, long-lived sessions. */
    streams: number;
    /** The session bound: assumed, or learned from the host's refusals (`learned`). */
    limit: number;
    learned: boolean;
    /** The most sessions seen open at once on this connection. */
    peak: number;
  }[];
  /** Forwarded channels open (they take no session). */
  forwards: number;
}

/**
 * One host's SSH connection, kept open and shared by everything that talks to the host (one
 * connection per host: a fresh one per command costs ~0.4 s). It reconnects with backoff when
 * the connection drops, and stops trying when only the user can fix the cause.
 *
 * Sessions are bounded per connection (sshd's MaxSessions): work beyond the bound queues, and a
 * host that allows fewer sessions than assumed teaches the bound by refusing one (the refused
 * work then waits its turn and is retried). Short work (`exec`, `withClient`) runs on the main
 * connection. Long-lived channels go through `openStream`, so that they can never take the
 * last session a short command needs.
 */
export interface HostConnection {
  /** A label for messages, e.g. "build-01 (10.0.0.5)". */
  readonly name: string;
  readonly state: ConnectionState;
  /** When the host last answered: the connection came up or a command completed (ISO time). */
  readonly lastSeenAt: string | undefined;
  /** Connects (or waits for the attempt under way); rejects with the reason it could not. */
  connect(): Promise<void>;
  disconnect(): void;
  /** Runs a /bin/sh script on the host, framed against login-shell noise, within the session bound. */
  exec(script: string, options?: ExecOptions): Promise<ExecResult>;
  /**
   * Runs short `work` with the live main client inside one session slot (an SFTP transfer, a
   * forwarded channel that is opened and handed on). The slot is given back when `work`
   * settles, so nothing that stays open after it should be a session: use `openStream`.
   */
  withClient<T>(work: (client: SshClient) => Promise<T>): Promise<T>;
  /**
   * Opens a channel that stays open (a console, a terminal, an API relay) and holds its session
   * until the channel emits 'close' (ssh2 emits it once the channel's data has been read to its
   * end, so the caller reads or `resume()`s it). `open` gets a live client, must open exactly one channel
   * on it right away and resolve with that channel (ssh2's `exec`/`shell`/`sftp`/
   * `openssh_forwardOutStreamLocal` callback value).
   *
   * - `forward` channels are opened on the main connection; they take no session.
   * - `session` channels use the main connection only while it has been seen to hold more
   *   sessions at once than the long-lived ones would take (one always stays free for short
   *   commands); otherwise they go to a second SSH connection to the host, opened when first
   *   needed (and a third once that one is full), each closed when its last stream closes.
   *   A host that refuses the session teaches its limit and the stream moves on.
   *
   * Rejects with `open`'s own error, HOST_NOT_CONNECTED, or SSH_CHANNEL_FAILED when no
   * connection to the host will take another session.
   */
  openStream<S extends StreamChannel>(kind: StreamKind, open: (client: SshClient) => Promise<S>): Promise<S>;
  usage(): ConnectionUsage;
  onState(listener: (state: ConnectionState) => void): () => void;
}

export interface HostConnectionOptions {
  /** A label for messages, e.g. "build-01 (10.0.0.5)". */
  name: string;
  /** Opens an authenticated client; called for the first connection, every reconnect and extra connections. */
  open(): Promise<SshClient>;
  /** Sessions assumed per connection until the host refuses one (sshd's MaxSessions is 10). */
  maxChannels?: number;
  reconnect?: { initialMs: number; maxMs: number };
  now?: () => Date;
}

/** One SSH connection to the host and its session budget. */
interface Link {
  client: SshClient;
  sessions: ChannelLimiter;
  /** Long-lived sessions on this connection. */
  streams: number;
  main: boolean;
  closed: boolean;
}

const MAX_OUTPUT = 32 * 1024 * 1024;
/** Times a refused session waits for a free slot and tries again before the refusal is reported. */
const SESSION_ROUNDS = 8;
/** Connections opened for long-lived sessions, besides the main one. */
const MAX_STREAM_LINKS = 4;

export function createHostConnection(options: HostConnectionOptions): HostConnection {
  const { name } = options;
  const now = options.now ?? (() => new Date());
  const backoff = options.reconnect ?? { initialMs: 500, maxMs: 30_000 };
  const assumedSessions = options.maxChannels ?? 8;
  const listeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = { state: 'disconnected' };
  let main: Link | undefined;
  let streamLinks: Link[] = [];
  let openingStreamLink: Promise<Link> | undefined;
  let forwards = 0;
  let lastSeenAt: string | undefined;
  let attempt: Promise<void> | undefined;
  let wanted = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retries = 0;

  function setState(next: ConnectionState) {
    state = next;
    for (const listener of [...listeners]) listener(next);
  }

  const seen = () => {
    lastSeenAt = now().toISOString();
  };

  function linkFor(client: SshClient, isMain: boolean): Link {
    const link: Link = { client, sessions: createChannelLimiter(assumedSessions), streams: 0, main: isMain, closed: false };
    client.on('error', () => {}); // 'close' follows and carries the consequence
    client.once('close', () => {
      link.closed = true;
    });
    return link;
  }

  function adopt(next: SshClient) {
    const link = linkFor(next, true);
    main = link;
    retries = 0;
    seen();
    setState({ state: 'connected', since: now().toISOString() });
    next.once('close', () => {
      if (main !== link) return;
      main = undefined;
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
            next.on('error', () => {});
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

  function liveMain(): Link {
    if (!main || main.closed) throw notConnected();
    return main;
  }

  function channelFailed(error: unknown): AppError {
    return new AppError('SSH_CHANNEL_FAILED', `${name} refused to open an SSH session: ${(error as Error).message}.`, {
      remedy: 'The host allows few SSH sessions per connection (MaxSessions in sshd_config). Close consoles or terminals you do not need, or raise MaxSessions, then try again.',
      cause: error,
    });
  }

  /** Waits a little before retrying a refused session: sshd frees a closed one a moment later. */
  const pause = (tries: number) => new Promise((resolve) => setTimeout(resolve, Math.min(20 * tries, 200)));

  /**
   * Opens one session channel with `slot`. A first refusal may be sshd freeing a closed session
   * a moment late, so it is retried once with the same slot; a second one lowers the bound and
   * is thrown.
   */
  async function openWithSlot<S>(link: Link, slot: SessionSlot, openChannel: (client: SshClient) => Promise<S>): Promise<S> {
    for (let tries = 1; ; tries++) {
      try {
        const channel = await openChannel(link.client);
        slot.opened();
        return channel;
      } catch (error) {
        if (!isSessionRefusal(error) || link.closed) throw error;
        slot.refused();
        if (tries >= 2) throw error;
        await pause(1);
        slot.retry();
      }
    }
  }

  /**
   * Opens a short-lived session channel on `link` within its bound. When the host refuses it,
   * the work gives its slot back and waits for the next free one (ahead of newer work).
   */
  async function openShortSession<S>(link: Link, openChannel: (client: SshClient) => Promise<S>): Promise<{ channel: S; slot: SessionSlot }> {
    for (let rounds = 1; ; rounds++) {
      const slot = await link.sessions.acquire({ front: rounds > 1 });
      if (link.closed) {
        slot.release();
        throw notConnected();
      }
      try {
        return { channel: await openWithSlot(link, slot, openChannel), slot };
      } catch (error) {
        slot.release();
        if (link.closed) throw notConnected();
        if (!isSessionRefusal(error) || rounds >= SESSION_ROUNDS) throw channelFailed(error);
        await pause(rounds);
      }
    }
  }

  async function runExec(script: string, execOptions: ExecOptions): Promise<ExecResult> {
    if (execOptions.signal?.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    const framed = frameScript(script);
    const sender = execOptions.stdin && typeof execOptions.stdin !== 'string' ? execOptions.stdin : undefined;
    // The sender's error is watched from the start: a small file is read whole (and found cut
    // short) while the channel is still opening, and an error missed then left the host waiting
    // for bytes that never came.
    const input = sender && { sender, failed: new Promise<Error>((resolve) => sender.once('error', resolve)) };
    const { channel: stream, slot } = await openShortSession(
      liveMain(),
      (client) => new Promise<ClientChannel>((resolve, reject) => client.exec(framed.command, (error, channel) => (error ? reject(error) : resolve(channel)))),
    );
    if (typeof execOptions.stdin === 'string') stream.end(execOptions.stdin);
    try {
      const result = await collect(stream, framed, execOptions, input);
      seen();
      return result;
    } finally {
      slot.release();
    }
  }

  /** `input`: the bytes to send on the channel's stdin, and their first error. */
  function collect(stream: ClientChannel, framed: ReturnType<typeof frameScript>, execOptions: ExecOptions, input?: { sender: NodeJS.ReadableStream; failed: Promise<Error> }): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
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
      const stop = (reason: AppError) =>
        finish(() => {
          stream.close();
          reject(reason);
        });
      const timer = execOptions.timeoutMs
        ? setTimeout(
            () => stop(new AppError('COMMAND_TIMEOUT', `A command on ${name} did not finish within ${Math.round(execOptions.timeoutMs! / 1000)} s.`, { remedy: 'Check the host’s load and try again.' })),
            execOptions.timeoutMs,
          )
        : undefined;
      const onAbort = () => stop(new AppError('CANCELLED', 'Cancelled.'));
      execOptions.signal?.addEventListener('abort', onAbort, { once: true });
      // A cancel while the session was opening: a listener added to an aborted signal never fires.
      if (execOptions.signal?.aborted) onAbort();
      stream.on('error', () => {}); // 'close' follows and decides
      stream.on('data', (chunk: Buffer) => {
        if (stdout.length < MAX_OUTPUT) stdout += chunk.toString('utf8');
      });
      stream.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 64 * 1024) stderr += chunk.toString('utf8');
      });
      if (input) {
        // A sender that says what went wrong (a file that changed while it was read) is passed on as it is.
        void input.failed.then((error) =>
          stop(error instanceof AppError ? error : new AppError('PUSH_FAILED', `Firedeck could not read what it was sending to ${name}.`, { cause: error })),
        );
        input.sender.pipe(stream);
      }
      stream.on('close', () =>
        finish(() => {
          const parsed = framed.parse(stdout);
          if (parsed) resolve({ ...parsed, stderr });
          else
            reject(
              new AppError('SSH_CONNECTION_LOST', `The connection to ${name} dropped while a command was running; it may or may not have finished.`, {
                remedy: 'Firedeck reconnects on its own; check the result once it is back, then retry if needed.',
                details: stderr ? { stderr: stderr.slice(-2000) } : undefined,
              }),
            );
        }),
      );
    });
  }

  /**
   * The main connection takes a long-lived session only while it has been seen to hold at least
   * one session more than its long-lived ones would then be, so a short command always has one.
   */
  function mainHasRoomForStream(link: Link): boolean {
    return link.streams + 2 <= link.sessions.peak;
  }

  /**
   * A connection with a free session for a stream, and that session's slot (taken at once, so
   * no stream waits behind another). The stream is counted on that connection from here on.
   */
  async function placeStream(): Promise<{ link: Link; slot: SessionSlot }> {
    for (;;) {
      const current = liveMain();
      // A placed stream counts at once, so two placed together cannot both take the main
      // connection's last spare session.
      const onMain = mainHasRoomForStream(current) ? current.sessions.tryAcquire() : undefined;
      if (onMain) {
        current.streams += 1;
        return { link: current, slot: onMain };
      }
      streamLinks = streamLinks.filter((l) => !l.closed);
      for (const link of streamLinks) {
        const slot = link.sessions.tryAcquire();
        if (slot) {
          link.streams += 1;
          return { link, slot };
        }
      }
      if (!openingStreamLink && streamLinks.length >= MAX_STREAM_LINKS) {
        throw new AppError('SSH_CHANNEL_FAILED', `${name} takes no more long-lived SSH sessions: ${MAX_STREAM_LINKS + 1} connections are full.`, {
          remedy: 'Close consoles or terminals you do not need, or raise MaxSessions in the host’s sshd_config.',
        });
      }
      openingStreamLink ??= openStreamLink().finally(() => {
        openingStreamLink = undefined;
      });
      await openingStreamLink;
    }
  }

  async function openStreamLink(): Promise<Link> {
    const client = await options.open();
    const link = linkFor(client, false);
    client.once('close', () => {
      streamLinks = streamLinks.filter((l) => l !== link);
    });
    if (!wanted) {
      client.end();
      throw notConnected();
    }
    streamLinks.push(link);
    return link;
  }

  function closeIfIdle(link: Link) {
    if (!link.main && link.sessions.active === 0 && link.sessions.waiting === 0) link.client.end();
  }

  async function openSessionStream<S extends StreamChannel>(open: (client: SshClient) => Promise<S>): Promise<S> {
    for (let rounds = 1; ; rounds++) {
      const { link, slot } = await placeStream();
      let channel: S;
      try {
        channel = await openWithSlot(link, slot, open);
      } catch (error) {
        // A refusal has lowered that connection's bound, so the next placement looks elsewhere.
        link.streams -= 1;
        slot.release();
        closeIfIdle(link);
        if (link.closed && link.main) throw notConnected();
        if (!isSessionRefusal(error)) throw error;
        if (rounds >= SESSION_ROUNDS) throw channelFailed(error);
        await pause(rounds);
        continue;
      }
      channel.on('error', () => {}); // for the channel's whole life; 'close' follows and the caller hears of it
      channel.once('close', () => {
        link.streams -= 1;
        slot.release();
        closeIfIdle(link);
      });
      return channel;
    }
  }

  function endAll() {
    const current = main;
    main = undefined;
    current?.client.end();
    for (const link of streamLinks) link.client.end();
    streamLinks = [];
  }

  return {
    name,
    get state() {
      return state;
    },
    get lastSeenAt() {
      return lastSeenAt;
    },
    async connect() {
      if (main && !main.closed) return;
      wanted = true;
      clearTimeout(retryTimer);
      if (!attempt) setState({ state: 'connecting' });
      await open();
    },
    disconnect() {
      wanted = false;
      clearTimeout(retryTimer);
      endAll();
      setState({ state: 'disconnected' });
    },
    exec: (script, execOptions = {}) => runExec(script, execOptions),
    async withClient(work) {
      const link = liveMain();
      return link.sessions.run(() => {
        if (link.closed) throw notConnected();
        return work(link.client);
      });
    },
    async openStream(kind, open) {
      if (kind === 'session') return openSessionStream(open);
      const channel = await open(liveMain().client);
      forwards += 1;
      channel.on('error', () => {}); // for the channel's whole life; 'close' follows and the caller hears of it
      channel.once('close', () => {
        forwards -= 1;
      });
      return channel;
    },
    usage() {
      const links = [main, ...streamLinks].filter((l): l is Link => l !== undefined && !l.closed);
      return {
        connections: links.length,
        links: links.map((l) => ({ main: l.main, sessions: l.sessions.active, streams: l.streams, limit: l.sessions.limit, learned: l.sessions.learned, peak: l.sessions.peak })),
        forwards,
      };
    },
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** sshd refuses a session channel it has no room for with the description "open failed". */
function isSessionRefusal(error: unknown): boolean {
  return error instanceof Error && /open failed/i.test(error.message);
}
