import { Worker } from 'node:worker_threads';
import { posix } from 'node:path';
import { AppError } from '../app-error.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { shq } from '../ssh/shell-quote.js';
import type { SshClient } from '../ssh/ssh2.js';

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

/** 255 KiB: one SFTP write just under ssh2's 256 KiB packet ceiling; measured faster than the default. */
const CHUNK = 255 * 1024;
const CONCURRENCY = 64;

/**
 * Copies a local file to the host over SFTP: into a temp name beside the destination, then the
 * SHA-256 is compared on the host and only a matching file is renamed into place. A cancel or a
 * failure removes the temp file, so no half file ever sits under the final name.
 */
export async function pushFile(connection: HostConnection, options: PushOptions): Promise<{ remotePath: string; sha256: string }> {
  const { home, remotePath, temp } = await connection.withClient(async (client) => {
    const home = await sftpCall<string>(client, (sftp, done) => sftp.realpath('.', done));
    const remotePath = posix.join(home, options.remoteRelative);
    const temp = posix.join(posix.dirname(remotePath), `.${posix.basename(remotePath)}.${options.transferId.slice(0, 8)}.part`);
    return { home, remotePath, temp };
  });
  if (!remotePath.startsWith(`${home}/`)) throw new AppError('INVALID_PATH', 'The destination leaves the home folder on the host.');
  await connection.exec(`mkdir -p -- ${shq(posix.dirname(remotePath))}`, { timeoutMs: 30_000 });

  const cleanup = () => connection.exec(`rm -f -- ${shq(temp)}`, { timeoutMs: 30_000 }).catch(() => {});
  try {
    // A cancel that came before the upload started must not be missed: abort listeners
    // added to an already aborted signal never fire.
    if (options.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    await connection.withClient((client) => upload(client, options, temp));
    // Both sides hash at once, after the transfer: hashing during it took CPU from the
    // encryption and slowed the upload more than it saved (npm run bench).
    const [sha256, remote] = await Promise.all([
      hashFile(options.localPath),
      connection.exec(
        // openssl uses the CPU's SHA extensions where coreutils' sha256sum does not (3× faster here).
        `if command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 -r ${shq(temp)}; else sha256sum -- ${shq(temp)}; fi | cut -c1-64`,
        { timeoutMs: 120_000, signal: options.signal },
      ),
    ]);
    const remoteSha256 = remote.output.trim();
    if (remote.exitCode !== 0 || remoteSha256 !== sha256) {
      throw new AppError('PUSH_CHECKSUM_MISMATCH', `The copy on the host does not match the local file (SHA-256 ${remoteSha256 || 'unknown'} instead of ${sha256}); it was removed.`, {
        remedy: 'Push the file again. If it keeps happening, check the host’s disk.',
      });
    }
    if (options.signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
    const moved = await connection.exec(`mv -f -- ${shq(temp)} ${shq(remotePath)}`, { timeoutMs: 30_000 });
    if (moved.exitCode !== 0) throw new AppError('PUSH_FAILED', `The file arrived but could not be moved to ${remotePath}: ${moved.output.trim() || moved.stderr.trim()}`);
    return { remotePath, sha256 };
  } catch (error) {
    await cleanup();
    if (options.signal.aborted) throw new AppError('CANCELLED', 'The push was cancelled; nothing was left on the host.');
    throw error;
  }
}

function upload(client: SshClient, options: PushOptions, temp: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.sftp((error, sftp) => {
      if (error) return reject(new AppError('SFTP_UNAVAILABLE', 'The host does not offer SFTP.', { remedy: 'Enable the sftp subsystem in sshd_config.', cause: error }));
      const abort = () => sftp.end(); // fastPut has no cancel of its own: closing the session stops it
      options.signal.addEventListener('abort', abort, { once: true });
      sftp.fastPut(
        options.localPath,
        temp,
        { chunkSize: CHUNK, concurrency: CONCURRENCY, mode: 0o644, step: (sent, _chunk, total) => options.onProgress(sent, total) },
        (failure) => {
          options.signal.removeEventListener('abort', abort);
          sftp.end();
          if (failure) reject(options.signal.aborted ? new AppError('CANCELLED', 'Cancelled.') : new AppError('PUSH_FAILED', `The upload failed: ${failure.message}.`, { cause: failure }));
          else resolve();
        },
      );
    });
  });
}

function sftpCall<T>(client: SshClient, call: (sftp: import('ssh2').SFTPWrapper, done: (error: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    client.sftp((error, sftp) => {
      if (error) return reject(new AppError('SFTP_UNAVAILABLE', 'The host does not offer SFTP.', { remedy: 'Enable the sftp subsystem in sshd_config.', cause: error }));
      call(sftp, (failure, value) => {
        sftp.end();
        if (failure) reject(failure);
        else resolve(value);
      });
    });
  });
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
