import { createReadStream } from 'node:fs';
import { posix } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import { Worker } from 'node:worker_threads';
import fileRemoveSource from '../host-scripts/file-remove.sh';
import fileSha256Source from '../host-scripts/file-sha256.sh';
import uploadFinishSource from '../host-scripts/upload-finish.sh';
import uploadPrepareSource from '../host-scripts/upload-prepare.sh';
import uploadReceiveSource from '../host-scripts/upload-receive.sh';
import { AppError } from '../app-error.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { hostScript, runHostScript } from '../ssh/host-script.js';
import type { SshClient } from '../ssh/ssh2.js';
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
const uploadReceive = hostScript({ name: 'upload-receive', source: uploadReceiveSource, what: 'Receiving the upload', remedy: 'Check free disk space on the host, then try again.' });
const fileSha256 = hostScript({
  name: 'file-sha256',
  source: fileSha256Source,
  what: 'Checking the upload',
  failures: { 2: { code: 'PUSH_FAILED', message: 'The uploaded file vanished on the host before it could be checked.', remedy: 'Try again.' } },
});
const uploadFinish = hostScript({ name: 'upload-finish', source: uploadFinishSource, what: 'Moving the upload into place' });
const fileRemove = hostScript({ name: 'file-remove', source: fileRemoveSource, what: 'Removing an abandoned upload' });

/** 255 KiB: one SFTP write just under ssh2's 256 KiB packet ceiling; measured faster than the default. */
const CHUNK = 255 * 1024;
const CONCURRENCY = 64;

/**
 * Copies a local file to the host: into a temp name beside the destination, then the SHA-256 is
 * compared on the host and only a matching file is renamed into place. A cancel or a failure
 * removes the temp file, so no half file ever sits under the final name. The bytes go over
 * SFTP; where SFTP cannot start (no subsystem, or a login shell printing into its stream, as
 * Debian's sftp-server runs through it), they go through an exec channel instead, framed like
 * every command.
 */
export async function pushFile(connection: HostConnection, options: PushOptions): Promise<PushOutcome> {
  const relative = posix.normalize(options.remoteRelative);
  if (posix.isAbsolute(relative) || relative === '..' || relative.startsWith('../')) {
    throw new AppError('INVALID_PATH', 'The destination leaves the home folder on the host.');
  }
  const remotePath = (await runHostScript(connection, uploadPrepare, [relative], { timeoutMs: 30_000 })).output;
  const temp = posix.join(posix.dirname(remotePath), `.${posix.basename(remotePath)}.${options.transferId.slice(0, 8)}.part`);
  try {
    // A cancel that came before the upload started must not be missed: abort listeners
    // added to an already aborted signal never fire.
    if (options.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    const sftpProblem = await connection.withClient((client) => sftpUpload(client, options, temp));
    if (sftpProblem !== null) await execUpload(connection, options, temp);
    // Both sides hash at once, after the transfer: hashing during it took CPU from the
    // encryption and slowed the upload more than it saved (npm run bench).
    const [sha256, remote] = await Promise.all([
      hashFile(options.localPath),
      runHostScript(connection, fileSha256, [temp], { timeoutMs: 120_000, signal: options.signal }),
    ]);
    const remoteSha256 = remote.output.trim();
    if (remoteSha256 !== sha256) {
      throw new AppError('PUSH_CHECKSUM_MISMATCH', `The copy on the host does not match the local file (SHA-256 ${remoteSha256 || 'unknown'} instead of ${sha256}); it was removed.`, {
        remedy: 'Send the file again. If it keeps happening, check the host’s disk.',
      });
    }
    if (options.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    await runHostScript(connection, uploadFinish, [temp, remotePath], { timeoutMs: 30_000 });
    return { remotePath, sha256, ...(sftpProblem === null ? { via: 'sftp' } : { via: 'ssh-exec', sftpProblem }) };
  } catch (error) {
    await runHostScript(connection, fileRemove, [temp], { timeoutMs: 30_000 }).catch(() => {});
    if (options.signal.aborted) throw new AppError('CANCELLED', 'The transfer was cancelled; nothing of it was left on the host.');
    throw error;
  }
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
        { chunkSize: CHUNK, concurrency: CONCURRENCY, mode: 0o600, step: (sent, _chunk, total) => options.onProgress(sent, total) },
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

/** Streams the file into `cat` on the host (upload-receive.sh), through the framed exec channel every command uses. */
async function execUpload(connection: HostConnection, options: PushOptions, temp: string): Promise<void> {
  const source = createReadStream(options.localPath, { highWaterMark: CHUNK });
  let sent = 0;
  // Counts what goes out; nothing flows before the channel is open and reading.
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      options.onProgress(sent, options.size);
      done(null, chunk);
    },
  });
  pipeline(source, counted, () => {}); // a read error reaches `counted`, and so the upload
  try {
    // No time bound: a large file takes as long as the link needs, and the user can cancel.
    await runHostScript(connection, uploadReceive, [temp], { stdin: counted, signal: options.signal, timeoutMs: 0 });
  } finally {
    source.destroy();
    counted.destroy();
  }
}

/**
 * SHA-256 of a local file, computed on a worker thread so that it runs on another core while
 * the main thread encrypts the upload.
 */
function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(HASH_WORKER, { eval: true, workerData: path });
    worker.once('message', (digest: string) => resolve(digest));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new AppError('PUSH_FAILED', 'Firedeck could not read the file to check it.'));
    });
  });
}

const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const hash = createHash('sha256');
createReadStream(workerData, { highWaterMark: 4 * 1024 * 1024 })
  .on('data', (chunk) => hash.update(chunk))
  .on('end', () => parentPort.postMessage(hash.digest('hex')))
  .on('error', (error) => { throw error; });
`;
