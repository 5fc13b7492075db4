import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import type { GuestCopyResult, GuestSyncResult } from '../../shared/channels/guest.js';
import { AppError } from '../app-error.js';
import { shq } from '../ssh/shell-quote.js';
import type { SFTPWrapper } from 'ssh2';
import type { SshClient } from '../ssh/ssh2.js';
import type { TransferHandle } from '../transfers/transfer-registry.js';
import type { WorkspaceFiles } from '../workspaces/workspace-files.js';
import { guestRun } from './guest-run.js';

/** A file to send: its workspace path, the checked real path, size and modification time (s). */
interface LocalFile {
  path: string;
  real: string;
  size: number;
  mtime: number;
}

/** Files sent at once over one SFTP session (small files are round-trip bound, not bandwidth bound). */
const PARALLEL = 64;
/** Files up to this size are read whole, hashed from memory and written in one SFTP write. */
const SMALL_FILE = 255 * 1024;
/** Paths per sha256sum command line. */
const HASH_BATCH = 200;

/**
 * Everything under a workspace path, through the workspace's FsJail (list + realFile): links are
 * skipped, as is anything that leads outside the workspace.
 */
async function localTree(files: WorkspaceFiles, path: string): Promise<{ kind: 'file' | 'dir'; entries: LocalFile[] }> {
  const top = path.replace(/^\/+|\/+$/g, '');
  if (top !== '') {
    const file = await files.realFile(top).catch((error: unknown) => (error instanceof AppError && error.code === 'INVALID_PATH' ? null : Promise.reject(error)));
    if (file) {
      const [entry] = await files.list(posix.dirname(top) === '.' ? '' : posix.dirname(top)).then((list) => list.filter((e) => e.path === top));
      return { kind: 'file', entries: [{ path: top, real: file.path, size: file.size, mtime: Math.floor(Date.parse(entry?.modifiedAt ?? '') / 1000) || 0 }] };
    }
  }
  const entries: LocalFile[] = [];
  const walk = async (dir: string) => {
    for (const entry of await files.list(dir)) {
      if (entry.kind === 'dir') await walk(entry.path);
      else if (entry.kind === 'file') {
        const real = await files.realFile(entry.path);
        entries.push({ path: entry.path, real: real.path, size: real.size, mtime: Math.floor(Date.parse(entry.modifiedAt) / 1000) });
      }
    }
  };
  await walk(top);
  return { kind: 'dir', entries };
}

function openSftp(client: SshClient): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) =>
    client.sftp((error, sftp) =>
      error
        ? reject(new AppError('GUEST_SSH_DOWN', `The guest’s SFTP server could not be started: ${error.message}.`, { remedy: 'Check that the guest’s sshd has an sftp Subsystem (Debian’s openssh-server does).', cause: error }))
        : resolve(sftp),
    ),
  );
}

const call = <T>(run: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value as T))));

function localSha256(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/** SHA-256 of guest files, in the order given (sha256sum prints one line per argument). */
async function guestSha256(client: SshClient, paths: string[], signal: AbortSignal): Promise<string[]> {
  const batches: string[][] = [];
  for (let i = 0; i < paths.length; i += HASH_BATCH) batches.push(paths.slice(i, i + HASH_BATCH));
  const results: string[][] = [];
  // Two commands at once: the guest hashes on two cores, within any sshd's MaxSessions.
  await pool(batches.map((_, i) => i), 2, async (index) => {
    const batch = batches[index]!;
    const result = await guestRun(client, `sha256sum -- ${batch.map(shq).join(' ')}`, { timeoutMs: 300_000, signal });
    const lines = result.stdout.split('\n').filter(Boolean);
    if (result.exitCode !== 0 || lines.length !== batch.length) {
      throw new AppError('PUSH_FAILED', `The guest could not check the files it received: ${result.stderr.trim() || 'sha256sum failed'}.`, { remedy: 'Check that the guest has sha256sum (coreutils or busybox) and free disk space.' });
    }
    results[index] = lines.map((l) => l.replace(/^\\/, '').slice(0, 64));
  });
  return results.flat();
}

async function guestMkdirs(client: SshClient, dirs: string[], signal: AbortSignal): Promise<void> {
  const unique = [...new Set(dirs)];
  for (let i = 0; i < unique.length; i += HASH_BATCH) {
    const result = await guestRun(client, `mkdir -p -- ${unique.slice(i, i + HASH_BATCH).map(shq).join(' ')}`, { signal });
    if (result.exitCode !== 0) throw new AppError('PUSH_FAILED', `The guest could not create the folder: ${result.stderr.trim()}.`, { remedy: 'Choose a folder the guest user may write to, with free space.' });
  }
}

async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

/**
 * Sends local files to guest paths: each under a temp name beside its destination, then every
 * temp file's SHA-256 is compared with the local file's, and only then renamed into place
 * (keeping the local modification time, which the sync compares). A cancel or a mismatch
 * removes the temp files, so no half file ever sits under a final name.
 */
async function sendFiles(client: SshClient, plan: { file: LocalFile; target: string }[], transfer: TransferHandle): Promise<number> {
  const total = plan.reduce((sum, p) => sum + p.file.size, 0);
  await guestMkdirs(client, plan.map((p) => posix.dirname(p.target)), transfer.signal);
  const sftp = await openSftp(client);
  const abort = () => sftp.end();
  transfer.signal.addEventListener('abort', abort, { once: true });
  const tag = randomUUID().slice(0, 8);
  const temps = plan.map((p) => posix.join(posix.dirname(p.target), `.${posix.basename(p.target)}.${tag}.part`));
  const progress = new Map<number, number>();
  let done = 0;
  const report = () => transfer.progress(done + [...progress.values()].reduce((a, b) => a + b, 0), total);
  try {
    const indexes = plan.map((_, i) => i);
    const local: string[] = [];
    await pool(indexes, PARALLEL, async (i) => {
      if (transfer.signal.aborted) throw cancelled();
      const { file } = plan[i]!;
      if (file.size <= SMALL_FILE) {
        // One open, write, futimes and close each: small files cost round trips, not bandwidth.
        const bytes = await readFile(file.real);
        local[i] = createHash('sha256').update(bytes).digest('hex');
        const handle = await call<Buffer>((cb) => sftp.open(temps[i]!, 'w', { mode: 0o644 }, cb));
        try {
          if (bytes.length) await call<void>((cb) => sftp.write(handle, bytes, 0, bytes.length, 0, cb));
          await call<void>((cb) => sftp.futimes(handle, file.mtime, file.mtime, cb));
        } finally {
          await call<void>((cb) => sftp.close(handle, cb));
        }
        done += bytes.length;
        report();
        return;
      }
      const hashed = localSha256(file.real);
      await call<void>((cb) =>
        sftp.fastPut(file.real, temps[i]!, { mode: 0o644, concurrency: 8, chunkSize: 255 * 1024, step: (sent: number) => {
          progress.set(i, sent);
          report();
        } }, cb),
      );
      progress.delete(i);
      done += file.size;
      report();
      await call<void>((cb) => sftp.utimes(temps[i]!, file.mtime, file.mtime, cb));
      local[i] = await hashed;
    });
    const remote = await guestSha256(client, temps, transfer.signal);
    const bad = plan.filter((_, i) => local[i] !== remote[i]).map((p) => p.file.path);
    if (bad.length) {
      throw new AppError('PUSH_CHECKSUM_MISMATCH', `${bad.length} file(s) arrived in the guest different from the workspace (${bad.slice(0, 3).join(', ')}); nothing was put in place.`, {
        remedy: 'Copy again. If it keeps happening, check the guest’s disk.',
      });
    }
    if (transfer.signal.aborted) throw cancelled();
    await pool(indexes, PARALLEL * 4, (i) => call<void>((cb) => sftp.ext_openssh_rename(temps[i]!, plan[i]!.target, cb)));
    return total;
  } catch (error) {
    transfer.signal.removeEventListener('abort', abort);
    // The first session may be the one the cancel closed: the temp files go through a new one.
    const cleanup = await openSftp(client).catch(() => undefined);
    if (cleanup) {
      await Promise.all(temps.map((t) => call<void>((cb) => cleanup.unlink(t, cb)).catch(() => {})));
      cleanup.end();
    }
    if (transfer.signal.aborted) throw new AppError('CANCELLED', 'The copy was cancelled; nothing of it was left in the guest.');
    if (error instanceof AppError) throw error;
    throw new AppError('PUSH_FAILED', `Copying into the guest failed: ${(error as Error).message}.`, { remedy: 'Check the guest folder exists and is writable, then try again.', cause: error });
  } finally {
    transfer.signal.removeEventListener('abort', abort);
    sftp.end();
  }
}

const cancelled = () => new AppError('CANCELLED', 'Cancelled.');

/** Copies a workspace file or folder into `guestDir` (a folder lands as guestDir/NAME, as `scp -r` does). */
export async function copyIntoGuest(client: SshClient, files: WorkspaceFiles, path: string, guestDir: string, transfer: TransferHandle): Promise<GuestCopyResult> {
  const tree = await localTree(files, path);
  const top = path.replace(/^\/+|\/+$/g, '');
  const base = top === '' ? guestDir : posix.join(guestDir, posix.basename(top));
  const plan = tree.entries.map((file) => ({
    file,
    target: tree.kind === 'file' ? posix.join(guestDir, posix.basename(file.path)) : posix.join(base, top === '' ? file.path : file.path.slice(top.length + 1)),
  }));
  if (tree.kind === 'dir') await guestMkdirs(client, [base], transfer.signal);
  const bytes = plan.length ? await sendFiles(client, plan, transfer) : 0;
  return { files: plan.length, bytes, destination: tree.kind === 'file' ? plan[0]!.target : base };
}

/** Size and modification time (s) of every regular file under a guest folder, by path relative to it. */
async function guestTree(sftp: SFTPWrapper, root: string): Promise<Map<string, { size: number; mtime: number }>> {
  const found = new Map<string, { size: number; mtime: number }>();
  const walk = async (dir: string, prefix: string): Promise<void> => {
    const list = await call<{ filename: string; attrs: { size: number; mtime: number; mode: number } }[]>((cb) => sftp.readdir(dir, cb)).catch((error: { code?: number }) => {
      if (error.code === 2) return []; // no such folder yet: everything is new
      throw error;
    });
    await Promise.all(
      list.map(async (entry) => {
        const type = entry.attrs.mode & 0o170000;
        const rel = prefix ? `${prefix}/${entry.filename}` : entry.filename;
        if (type === 0o040000) await walk(posix.join(dir, entry.filename), rel);
        else if (type === 0o100000) found.set(rel, { size: entry.attrs.size, mtime: entry.attrs.mtime });
      }),
    );
  };
  await walk(root, '');
  return found;
}

/** The temp name sendFiles gives a file on its way in: another sync's, never a file to delete. */
const PART_NAME = /(^|\/)\.[^/]+\.[0-9a-f]{8}\.part$/;

/**
 * Regular files under `guestDir` that the workspace folder has no file for, relative to
 * `guestDir`, sorted. The guest is walked over SFTP by readdir, which reports links as links, so
 * no link is followed out of the folder. Names with a line break, and files still arriving, are
 * left alone.
 */
export async function guestOnlyFiles(client: SshClient, files: WorkspaceFiles, path: string, guestDir: string): Promise<string[]> {
  const tree = await localTree(files, path);
  if (tree.kind !== 'dir') throw new AppError('INVALID_PATH', `${path} is a file; a sync takes a folder.`, { remedy: 'Choose a folder of the workspace, or use Copy for one file.' });
  const top = path.replace(/^\/+|\/+$/g, '');
  const local = new Set(tree.entries.map((file) => (top === '' ? file.path : file.path.slice(top.length + 1))));
  const sftp = await openSftp(client);
  try {
    const remote = await guestTree(sftp, guestDir);
    return [...remote.keys()].filter((rel) => !local.has(rel) && !rel.includes('\n') && !PART_NAME.test(rel)).sort();
  } finally {
    sftp.end();
  }
}

/** Workspace-relative paths of the files a sync of `path` would send from (relative to `path`). */
export async function localSyncPaths(files: WorkspaceFiles, path: string): Promise<Set<string>> {
  const tree = await localTree(files, path);
  const top = path.replace(/^\/+|\/+$/g, '');
  return new Set(tree.entries.map((file) => (top === '' ? file.path : file.path.slice(top.length + 1))));
}

/**
 * One-way sync of a workspace folder into `guestDir`: sends the files that are new or whose size
 * or modification time differs from the guest's copy (each sent file keeps the workspace's
 * modification time, so an unchanged file is not sent again). Files only in the guest are left
 * here; deleting them is guest-sync-delete.ts's, with a plan the user saw.
 */
export async function syncIntoGuest(client: SshClient, files: WorkspaceFiles, path: string, guestDir: string, transfer: TransferHandle): Promise<GuestSyncResult> {
  const tree = await localTree(files, path);
  if (tree.kind !== 'dir') throw new AppError('INVALID_PATH', `${path} is a file; a sync takes a folder.`, { remedy: 'Choose a folder of the workspace, or use Copy for one file.' });
  const top = path.replace(/^\/+|\/+$/g, '');
  const sftp = await openSftp(client);
  let remote: Map<string, { size: number; mtime: number }>;
  try {
    remote = await guestTree(sftp, guestDir);
  } finally {
    sftp.end();
  }
  const rel = (file: LocalFile) => (top === '' ? file.path : file.path.slice(top.length + 1));
  const changed = tree.entries.filter((file) => {
    const there = remote.get(rel(file));
    return !there || there.size !== file.size || there.mtime !== file.mtime;
  });
  await guestMkdirs(client, [guestDir], transfer.signal);
  const bytes = changed.length ? await sendFiles(client, changed.map((file) => ({ file, target: posix.join(guestDir, rel(file)) })), transfer) : 0;
  return { sent: changed.map(rel), unchanged: tree.entries.length - changed.length, bytes, deleted: 0, skipped: 0 };
}

/**
 * Copies a guest file or folder into workspace folder `dir`: the bytes go through the
 * workspace's own upload path (FsJail, temp file, O_NOFOLLOW), each file's SHA-256 is compared
 * with the guest's before it is moved under its name.
 */
export async function copyFromGuest(client: SshClient, files: WorkspaceFiles, guestPath: string, dir: string, transfer: TransferHandle): Promise<GuestCopyResult> {
  const sftp = await openSftp(client);
  const abort = () => sftp.end();
  transfer.signal.addEventListener('abort', abort, { once: true });
  try {
    const top = await call<{ size: number; mode: number }>((cb) => sftp.stat(guestPath, cb)).catch((error: Error) => {
      throw new AppError('NOT_FOUND', `${guestPath} does not exist in the guest (${error.message}).`, { remedy: 'Check the path in the guest.' });
    });
    const base = dir.replace(/^\/+|\/+$/g, '');
    const name = posix.basename(guestPath);
    const plan: { source: string; target: string; size: number }[] = [];
    if ((top.mode & 0o170000) === 0o040000) {
      const tree = await guestTree(sftp, guestPath);
      for (const [rel, info] of tree) plan.push({ source: posix.join(guestPath, rel), target: posix.join(base, name, rel), size: info.size });
    } else plan.push({ source: guestPath, target: posix.join(base, name), size: top.size });
    const total = plan.reduce((sum, p) => sum + p.size, 0);
    let sent = 0;
    const received: { uploadId: string; target: string; bytes: number; sha256: string }[] = [];
    await pool(plan, 4, async (item) => {
      if (transfer.signal.aborted) throw cancelled();
      const uploadId = randomUUID();
      const hash = createHash('sha256');
      let offset = 0;
      await files.uploadChunk(uploadId, item.target, 0, Buffer.alloc(0), false);
      const stream = sftp.createReadStream(item.source, { highWaterMark: 256 * 1024 });
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        await files.uploadChunk(uploadId, item.target, offset, chunk, false);
        offset += chunk.length;
        sent += chunk.length;
        transfer.progress(sent, total);
      }
      received.push({ uploadId, target: item.target, bytes: offset, sha256: hash.digest('hex') });
    });
    const order = received.map((r) => plan.find((p) => p.target === r.target)!.source);
    const sums = await guestSha256(client, order, transfer.signal);
    const bad = received.filter((r, i) => r.sha256 !== sums[i]);
    if (bad.length) throw new AppError('PUSH_CHECKSUM_MISMATCH', `${bad.length} file(s) arrived different from the guest’s copy; none was put in place.`, { remedy: 'Copy again; if a file is being written in the guest, wait until it is done.' });
    if (transfer.signal.aborted) throw cancelled();
    for (const r of received) await files.uploadChunk(r.uploadId, r.target, r.bytes, Buffer.alloc(0), true);
    return { files: received.length, bytes: total, destination: plan.length === 1 && (top.mode & 0o170000) !== 0o040000 ? plan[0]!.target : posix.join(base, name) };
  } catch (error) {
    // Unfinished uploads are removed by the workspace's own timer (they are .part files, hidden from the list).
    if (transfer.signal.aborted) throw new AppError('CANCELLED', 'The copy was cancelled; nothing was put in the workspace.');
    if (error instanceof AppError) throw error;
    throw new AppError('PUSH_FAILED', `Copying from the guest failed: ${(error as Error).message}.`, { remedy: 'Check the guest path is readable, then try again.', cause: error });
  } finally {
    transfer.signal.removeEventListener('abort', abort);
    sftp.end();
  }
}
