import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { AppError } from '../app-error.js';

/** The first `size` bytes of a file as a stream, hashed as they are read. */
export interface HashedRead {
  stream: Readable;
  /** The SHA-256 of what the stream gave, once it has ended; rejects if it did not end whole. */
  digest(): Promise<string>;
}

/**
 * Below this, hashing on the main thread costs less than starting a worker (about 15 ms). Above
 * it, a worker reads the file, hashes each chunk and hands the chunk itself over (transferred,
 * not copied), so the main thread only encrypts and sends: a 256 MiB push went from 0.73-0.88x
 * to 0.98-1.19x the speed of scp on a two-core machine (npm run bench, 3 and 4 runs). A worker
 * handed copies of chunks read on the main thread made it slower instead (0.82x of hashing on
 * the main thread): the copies and messages cost more than the hash they moved.
 */
const WORKER_FROM_BYTES = 16 * 1024 * 1024;
/** 255 KiB: one SFTP write just under ssh2's 256 KiB packet ceiling; measured faster than the default. */
export const READ_CHUNK = 255 * 1024;

export function readHashed(path: string, size: number): HashedRead {
  return size < WORKER_FROM_BYTES ? readHashedInline(path, size) : readHashedOnWorker(path, size);
}

/** A file that ends before `size` bytes: it shrank since its size was taken. */
function shrank(): AppError {
  return new AppError('PUSH_FAILED', 'The file changed while it was being sent; nothing of it was kept.', { remedy: 'Send it again once it is complete.' });
}

function unreadable(cause: Error): AppError {
  return new AppError('PUSH_FAILED', `Firedeck could not read the file: ${cause.message}.`, { remedy: 'Check that it is still there and readable, then try again.', cause });
}

/** The digest once the whole file has gone through; before that (or after a failure) there is none. */
function digestOf(digest: string | null): Promise<string> {
  return digest === null ? Promise.reject(hashFailure(null)) : Promise.resolve(digest);
}

function readHashedInline(path: string, size: number): HashedRead {
  const hash = createHash('sha256');
  let read = 0;
  let digest: string | null = null;
  const counting = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      read += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      if (read !== size) return done(shrank());
      digest = hash.digest('hex');
      done();
    },
  });
  const source = size > 0 ? createReadStream(path, { highWaterMark: READ_CHUNK, end: size - 1 }) : Readable.from([]);
  source.once('error', (error: Error) => counting.destroy(unreadable(error)));
  counting.once('close', () => source.destroy());
  source.pipe(counting);
  return { stream: counting, digest: () => digestOf(digest) };
}

/**
 * The worker reads ahead at most CREDITS chunks: each chunk the stream takes in without
 * pressing back returns one, so a slow link holds 2 MiB here, not the file.
 */
const CREDITS = 8;

function readHashedOnWorker(path: string, size: number): HashedRead {
  const worker = new Worker(READER_WORKER, { eval: true, workerData: { path, size, chunk: READ_CHUNK, credits: CREDITS } });
  let owed = 0;
  let digest: string | null = null;
  const stream = new Readable({
    highWaterMark: 4 * READ_CHUNK,
    read() {
      if (owed === 0) return;
      worker.postMessage(owed);
      owed = 0;
    },
    destroy(error, done) {
      void worker.terminate();
      done(error);
    },
  });
  worker.on('message', (message: Uint8Array | { digest: string } | { shrank: true }) => {
    if (message instanceof Uint8Array) {
      if (stream.push(Buffer.from(message.buffer, message.byteOffset, message.byteLength))) worker.postMessage(1);
      else owed++;
    } else if ('digest' in message) {
      digest = message.digest;
      stream.push(null);
      void worker.terminate();
    } else stream.destroy(shrank());
  });
  // Its failure (the file unreadable, vanished) ends the stream with that error: never unhandled.
  worker.on('error', (error) => stream.destroy(unreadable(error)));
  worker.on('exit', () => {
    if (digest === null && !stream.destroyed) stream.destroy(hashFailure(null));
  });
  return { stream, digest: () => digestOf(digest) };
}

// Reads `size` bytes of the file in chunks, hashing each; sends each chunk (its memory moves to
// the main thread) while it holds credits, then { digest }; { shrank } when the file ends early.
const READER_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const hash = require('node:crypto').createHash('sha256');
const fd = openSync(workerData.path, 'r');
let left = workerData.size, position = 0, credits = workerData.credits;
function pump() {
  while (left > 0) {
    if (credits === 0) return;
    const chunk = new Uint8Array(Math.min(left, workerData.chunk));
    const n = readSync(fd, chunk, 0, chunk.length, position);
    if (n === 0) return parentPort.postMessage({ shrank: true });
    const view = chunk.subarray(0, n);
    hash.update(view);
    parentPort.postMessage(view, [chunk.buffer]);
    position += n;
    left -= n;
    credits--;
  }
  if (left === 0) {
    left = -1;
    closeSync(fd);
    parentPort.postMessage({ digest: hash.digest('hex') });
  }
}
parentPort.on('message', (more) => {
  credits += more;
  pump();
});
pump();
`;

function hashFailure(cause: Error | null): AppError {
  return new AppError('PUSH_FAILED', 'Firedeck could not compute the SHA-256 of what it sent.', { remedy: 'Try again.', cause: cause ?? undefined });
}

/**
 * SHA-256 of a local file, computed on a worker thread: it reads the whole file while the host
 * hashes its copy, and the main thread stays free for the window and the other hosts meanwhile.
 */
export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(FILE_WORKER, { eval: true, workerData: path });
    worker.once('message', (digest: string) => resolve(digest));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new AppError('PUSH_FAILED', 'Firedeck could not read the file to check it.'));
    });
  });
}

const FILE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const hash = createHash('sha256');
createReadStream(workerData, { highWaterMark: 4 * 1024 * 1024 })
  .on('data', (chunk) => hash.update(chunk))
  .on('end', () => parentPort.postMessage(hash.digest('hex')))
  .on('error', (error) => { throw error; });
`;
