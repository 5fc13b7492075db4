import { posix } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import fileRemoveSource from '../host-scripts/file-remove.sh';
import uploadAbandonSource from '../host-scripts/upload-abandon.sh';
import fileSha256Source from '../host-scripts/file-sha256.sh';
import uploadFinishSource from '../host-scripts/upload-finish.sh';
import uploadPrepareSource from '../host-scripts/upload-prepare.sh';
import uploadReceiveSource from '../host-scripts/upload-receive.sh';
import { AppError } from '../app-error.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { hostScript, runHostScript } from '../ssh/host-script.js';
import type { SshClient } from '../ssh/ssh2.js';
import { readHashed, READ_CHUNK, sha256OfFile } from './sha256-hasher.js';
import { describeSftpFailure } from './sftp-failure.js';

export interface PushOptions {
  localPath: string;
  size: number;
  /** Destination relative to the remote home, with `/` separators, e.g. `.firedeck/workspaces/vm-1/a.txt`. */
  remoteRelative: string;
  /** Names the temp file, so a retry of the same transfer cannot collide with another. */
  transferId: string;
  signal: AbortSignal;
  onProgress(sent: number, total: number): void;
  /**
   * The channel to try first. `ssh-exec` streams the bytes through an exec channel into `tee`
   * on the host, so both ends hash them as they pass (one read of the file on each side, no
   * second pass to check it). `sftp` (the default) lets the host's sftp-server write the file,
   * which the host then reads again to hash it; the exec channel is its fallback.
   */
  prefer?: 'sftp' | 'ssh-exec';
}

export interface PushOutcome {
  remotePath: string;
  sha256: string;
  /** How the bytes travelled: SFTP, or an SSH exec channel where SFTP could not start. */
  via: 'sftp' | 'ssh-exec';
  /** Why SFTP was not used, in words for the user (only with `ssh-exec`). */
  sftpProblem?: string;
}

const uploadPrepare = hostScript({ name: 'upload-prepare', source: uploadPrepareSource, what: 'Preparing the upload folder' });
const uploadReceive = hostScript({
  name: 'upload-receive',
  source: uploadReceiveSource,
  what: 'Receiving the upload',
  outcomes: { 6: 'mismatch' },
  failures: {
    3: { code: 'PUSH_FAILED', message: ({ stderr }) => `The host could not write the upload${stderr ? ` (${stderr.split('\n').at(-1)})` : ''}; nothing of it was kept.`, remedy: 'Check free disk space on the host, then try again.' },
    4: { code: 'PUSH_FAILED', message: 'The host has no tool to check the upload’s SHA-256 (neither openssl nor sha256sum).', remedy: 'Install openssl or coreutils on the host, then try again.' },
    5: { code: 'PUSH_FAILED', message: 'The upload stopped before the whole file had arrived; nothing of it was kept.', remedy: 'Try again.' },
  },
  remedy: 'Check free disk space on the host, then try again.',
});
const uploadAbandon = hostScript({ name: 'upload-abandon', source: uploadAbandonSource, what: 'Removing an abandoned upload' });
const fileSha256 = hostScript({
  name: 'file-sha256',
  source: fileSha256Source,
  what: 'Checking the upload',
  failures: { 2: { code: 'PUSH_FAILED', message: 'The uploaded file vanished on the host before it could be checked.', remedy: 'Try again.' } },
});
const uploadFinish = hostScript({ name: 'upload-finish', source: uploadFinishSource, what: 'Moving the upload into place' });
const fileRemove = hostScript({ name: 'file-remove', source: fileRemoveSource, what: 'Removing an abandoned upload' });

const CONCURRENCY = 64;

/**
 * Copies a local file to the host: into a temp name beside the destination, then the SHA-256 is
 * compared on the host and only a matching file is renamed into place. A cancel or a failure
 * removes the temp file, so no half file ever sits under the final name. The bytes go over an
 * exec channel (framed like every command) where the caller prefers it or where SFTP cannot
 * start (no subsystem, or a login shell printing into its stream, as Debian's sftp-server runs
 * through it): then both ends hash them in passing. Otherwise they go over SFTP and are hashed
 * after it.
 */
export async function pushFile(connection: HostConnection, options: PushOptions): Promise<PushOutcome> {
  const relative = posix.normalize(options.remoteRelative);
  if (posix.isAbsolute(relative) || relative === '..' || relative.startsWith('../')) {
    throw new AppError('INVALID_PATH', 'The destination leaves the home folder on the host.');
  }
  const tempRelative = posix.join(posix.dirname(relative), `.${posix.basename(relative)}.${options.transferId.slice(0, 8)}.part`);
  if (options.prefer === 'ssh-exec') return { ...(await execPush(connection, options, relative, tempRelative)), via: 'ssh-exec' };

  const remotePath = (await runHostScript(connection, uploadPrepare, [relative], { timeoutMs: 30_000 })).output;
  const temp = posix.join(posix.dirname(remotePath), posix.basename(tempRelative));
  let sftpProblem: string | null;
  try {
    // A cancel that came before the upload started must not be missed: abort listeners
    // added to an already aborted signal never fire.
    if (options.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    sftpProblem = await connection.withClient((client) => sftpUpload(client, options, temp));
    if (sftpProblem === null) {
      // Both sides hash at once, after the transfer: hashing during it took CPU from the
      // encryption and slowed the SFTP upload more than it saved (npm run bench).
      const [sha256, remote] = await Promise.all([sha256OfFile(options.localPath), runHostScript(connection, fileSha256, [temp], { timeoutMs: 120_000, signal: options.signal })]);
      const remoteSha256 = remote.output.trim();
      if (remoteSha256 !== sha256) throw mismatch(remoteSha256, sha256);
      if (options.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
      await runHostScript(connection, uploadFinish, [temp, remotePath], { timeoutMs: 30_000 });
      return { remotePath, sha256, via: 'sftp' };
    }
  } catch (error) {
    await runHostScript(connection, fileRemove, [temp], { timeoutMs: 30_000 }).catch(() => {});
    if (options.signal.aborted) throw new AppError('CANCELLED', 'The transfer was cancelled; nothing of it was left on the host.');
    throw error;
  }
  return { ...(await execPush(connection, options, relative, tempRelative)), via: 'ssh-exec', sftpProblem };
}

function mismatch(remoteSha256: string, sha256: string): AppError {
  return new AppError('PUSH_CHECKSUM_MISMATCH', `The copy on the host does not match the local file (SHA-256 ${remoteSha256 || 'unknown'} instead of ${sha256}); it was removed.`, {
    remedy: 'Send the file again. If it keeps happening, check the host’s disk.',
  });
}

/** Uploads over SFTP; resolves with why SFTP could not start (then nothing was sent), or null when it was used. */
function sftpUpload(client: SshClient, options: PushOptions, temp: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    client.sftp((error, sftp) => {
      if (error) return resolve(describeSftpFailure(error));
      const abort = () => sftp.end(); // fastPut has no cancel of its own: closing the session stops it
      options.signal.addEventListener('abort', abort, { once: true });
      sftp.fastPut(
        options.localPath,
        temp,
        { chunkSize: READ_CHUNK, concurrency: CONCURRENCY, mode: 0o600, step: (sent, _chunk, total) => options.onProgress(sent, total) },
        (failure) => {
          options.signal.removeEventListener('abort', abort);
          sftp.end();
          if (failure) reject(options.signal.aborted ? new AppError('CANCELLED', 'Cancelled.') : new AppError('PUSH_FAILED', `The upload failed: ${failure.message}.`, { cause: failure }));
          else resolve(null);
        },
      );
    });
  });
}

/**
 * The whole upload in one exec channel (framed like every command): upload-receive.sh makes the
 * folder, writes the bytes to the temp file hashing them as they pass, reads the SHA-256 this
 * side computed while reading (sent after the bytes), and renames only a matching file of the
 * right size. One round trip instead of four, and no second read of the file on either side.
 */
async function execPush(connection: HostConnection, options: PushOptions, relative: string, tempRelative: string): Promise<{ remotePath: string; sha256: string }> {
  const size = options.size;
  // Exactly `size` bytes: the host counts them before it reads the digest line.
  const read = readHashed(options.localPath, size);
  const source = read.stream;
  let sha256 = '';
  let sent = 0;
  let cancelled = false;
  // Counts what goes out, then sends the digest on a line of its own; nothing flows before the
  // channel is open and reading. A file that shrank while it was read ends `source` with an
  // error instead, so no digest goes out and the host keeps nothing.
  const counted = new Transform({
    // Room for a few of the reader's 255 KiB chunks (the default is 16 KiB, less than one).
    highWaterMark: 4 * READ_CHUNK,
    transform(chunk: Buffer, _encoding, done) {
      if (cancelled) return done();
      sent += chunk.length;
      options.onProgress(sent, size);
      done(null, chunk);
    },
    flush(done) {
      if (cancelled) return done(); // no digest: the host keeps nothing
      read.digest().then(
        (digest) => {
          sha256 = digest;
          done(null, `${sha256}\n`);
        },
        (error: Error) => done(error),
      );
    },
  });
  // A cancel ends the bytes early instead of closing the channel: the host sees a short stream,
  // removes its temp file itself (exit 5) and answers, so nothing it makes after this side's own
  // clean-up can stay behind. Only a host that does not answer then has its channel closed.
  const unanswered = new AbortController();
  const onCancel = () => {
    cancelled = true;
    source.unpipe(counted);
    counted.end();
    setTimeout(() => unanswered.abort(), 10_000).unref();
  };
  try {
    if (options.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    options.signal.addEventListener('abort', onCancel, { once: true });
    pipeline(source, counted, () => {}); // a read error reaches `counted`, and so the upload
    // No time bound: a large file takes as long as the link needs, and the user can cancel.
    const received = await runHostScript(connection, uploadReceive, [relative, tempRelative, size], { stdin: counted, signal: unanswered.signal, timeoutMs: 0 });
    if (options.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    // The path may hold any byte but NUL, newlines included; the digest line comes last.
    const printed = /^path=([\s\S]*)\nsha256=([0-9a-f]*)\n*$/.exec(received.output);
    if (received.outcome === 'mismatch') throw mismatch(printed?.[2] ?? '', sha256);
    if (!printed) throw new AppError('PUSH_FAILED', `The host’s answer to the upload could not be read: ${JSON.stringify(received.output.slice(0, 200))}.`, { remedy: 'Try again.' });
    return { remotePath: printed[1]!, sha256 };
  } catch (error) {
    // The script removes what it refused; this covers a cancel or a dropped connection.
    await runHostScript(connection, uploadAbandon, [tempRelative], { timeoutMs: 30_000 }).catch(() => {});
    if (options.signal.aborted) throw new AppError('CANCELLED', 'The transfer was cancelled; nothing of it was left on the host.');
    throw error;
  } finally {
    options.signal.removeEventListener('abort', onCancel);
    source.destroy();
    counted.destroy();
  }
}
