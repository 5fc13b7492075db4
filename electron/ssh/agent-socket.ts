import { stat } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { AppError } from '../app-error.js';

/** SSH agent protocol: request the identities; the agent answers 12 (or 5, failure). */
const REQUEST_IDENTITIES = Buffer.from([0, 0, 0, 1, 11]);
const IDENTITIES_ANSWER = 12;
const AGENT_FAILURE = 5;

/**
 * Makes sure an SSH agent answers at `path` before a connection relies on it: ssh2 would
 * otherwise take many seconds to give up on a path that is missing, a file, a folder or a
 * socket nobody listens on, and then report it twice. Asks the agent for its identities, so a
 * socket that belongs to something else (or an agent that hangs) is caught too.
 * `fromEnvironment` says the path came from SSH_AUTH_SOCK rather than the host's settings.
 */
export async function assertAgentReachable(path: string, options: { timeoutMs?: number; fromEnvironment?: boolean } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 1_500;
  const problem = await new Promise<string | null>((resolve) => {
    const socket = createConnection({ path });
    let answer = Buffer.alloc(0);
    const done = (outcome: string | null) => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => done(`it did not answer within ${(timeoutMs / 1000).toFixed(1)} s`), timeoutMs);
    // The listener stays for the socket's whole life: destroy() may still report an error.
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    socket.on('connect', () => socket.write(REQUEST_IDENTITIES));
    socket.on('data', (chunk: Buffer) => {
      answer = Buffer.concat([answer, chunk]);
      if (answer.length < 5) return;
      const type = answer[4];
      done(type === IDENTITIES_ANSWER || type === AGENT_FAILURE ? null : 'what answers there is not an SSH agent');
    });
    socket.on('end', () => done('it closed the connection without answering'));
  });
  if (problem === null) return;
  const where = `${path}${options.fromEnvironment ? ' (SSH_AUTH_SOCK)' : ''}`;
  throw new AppError('AGENT_UNAVAILABLE', `The SSH agent at ${where} cannot be reached: ${await describe(path, problem)}.`, {
    remedy: options.fromEnvironment
      ? 'Start ssh-agent and add your key (ssh-add), then restart Firedeck from that shell; or set the agent socket in the host’s settings to what echo $SSH_AUTH_SOCK prints in a terminal.'
      : 'Set the agent socket in the host’s settings to what echo $SSH_AUTH_SOCK prints in a terminal where ssh-add -l lists your key, or start ssh-agent and add your key (ssh-add).',
  });
}

async function describe(path: string, problem: string): Promise<string> {
  if (problem === 'ENOENT') return 'nothing exists there';
  if (problem === 'EACCES') return 'Firedeck may not open it';
  if (problem !== 'ECONNREFUSED') return /^E[A-Z]+$/.test(problem) ? `the connection failed (${problem})` : problem;
  const kind = await stat(path).then(
    (s) => (s.isSocket() ? 'socket' : s.isDirectory() ? 'folder' : s.isFile() ? 'file' : 'other'),
    () => 'other',
  );
  switch (kind) {
    case 'socket':
      return 'no agent is listening on that socket (it is left over from an agent that has stopped)';
    case 'folder':
      return 'it is a folder, not a socket';
    case 'file':
      return 'it is a regular file, not a socket';
    default:
      return 'it is not a socket an agent listens on';
  }
}
