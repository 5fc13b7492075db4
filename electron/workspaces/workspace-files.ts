import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { TEXT_FILE_LIMIT } from '../../shared/channels/workspaces.js';
import type { WorkspaceEntry } from '../../shared/channels/workspaces.js';
import { AppError } from '../app-error.js';
import type { FsJail } from './fs-jail.js';

/**
 * File operations inside one workspace. Every path goes through the jail first; the final
 * component of anything written is opened with O_NOFOLLOW, so a link planted after the check
 * cannot redirect the write (see the race note in fs-jail.ts).
 */
export interface WorkspaceFiles {
  /** The canonical workspace folder. */
  readonly root: string;
  list(dir: string): Promise<WorkspaceEntry[]>;
  readText(path: string): Promise<{ content: string; size: number }>;
  writeText(path: string, content: string): Promise<WorkspaceEntry>;
  createFolder(path: string): Promise<WorkspaceEntry>;
  rename(from: string, to: string): Promise<WorkspaceEntry>;
  remove(path: string): Promise<boolean>;
  /** Appends one chunk of an upload to its temp file; `done` moves it under its name. */
  uploadChunk(uploadId: string, path: string, offset: number, data: Buffer, done: boolean): Promise<number>;
  /** The real, checked path of an existing regular file, for reading it (e.g. to push it). */
  realFile(path: string): Promise<{ path: string; size: number }>;
}

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

export function createWorkspaceFiles(jail: FsJail): WorkspaceFiles {
  const uploads = new Map<string, { temp: string; target: string; received: number; timer: NodeJS.Timeout }>();

  const entry = async (absolute: string): Promise<WorkspaceEntry> => {
    const info = await lstat(absolute);
    return {
      name: basename(absolute),
      path: relative(jail.root, absolute).split(sep).join('/'),
      kind: info.isSymbolicLink() ? 'symlink' : info.isDirectory() ? 'dir' : info.isFile() ? 'file' : 'other',
      size: info.size,
      modifiedAt: info.mtime.toISOString(),
    };
  };

  /** Refuses to act on the workspace folder itself where that would be destructive. */
  const notRoot = (absolute: string, what: string) => {
    if (absolute === jail.root) throw new AppError('INVALID_PATH', `The workspace folder itself cannot be ${what}.`, { remedy: 'Choose a file or folder inside it.' });
  };

  /** Writes to a fresh temp file beside the target, then renames it over the target. */
  async function writeBeside(target: string, write: (handle: FileHandle) => Promise<void>) {
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.part`);
    const handle = await open(temp, WRITE_FLAGS, 0o644);
    try {
      await write(handle);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    // rename() replaces a link at the target rather than following it.
    await rename(temp, target);
  }

  return {
    root: jail.root,
    async list(dir) {
      const absolute = dir === '' ? jail.root : await jail.resolve(dir);
      const names = await readdir(absolute).catch((error: NodeJS.ErrnoException) => {
        throw new AppError(error.code === 'ENOTDIR' ? 'INVALID_PATH' : 'NOT_FOUND', `${dir || 'The workspace'} is not a folder Firedeck can list.`, { cause: error });
      });
      const entries = await Promise.all(names.filter((n) => !n.endsWith('.part')).map((name) => entry(join(absolute, name)).catch(() => null)));
      return entries
        .filter((e): e is WorkspaceEntry => e !== null)
        .sort((a, b) => Number(b.kind === 'dir') - Number(a.kind === 'dir') || a.name.localeCompare(b.name));
    },

    async readText(path) {
      const file = await this.realFile(path);
      if (file.size > TEXT_FILE_LIMIT) {
        throw new AppError('FILE_TOO_LARGE', `${path} is ${(file.size / 1024 / 1024).toFixed(1)} MiB; the editor opens text files up to 1 MiB.`, {
          remedy: 'Edit it with another editor; you can still push it to the host.',
        });
      }
      const handle = await open(file.path, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        const bytes = await handle.readFile();
        if (bytes.subarray(0, 8192).includes(0)) {
          throw new AppError('NOT_TEXT', `${path} is a binary file.`, { remedy: 'Only text files open in the editor; you can still push it to the host.' });
        }
        return { content: bytes.toString('utf8'), size: bytes.length };
      } finally {
        await handle.close();
      }
    },

    async writeText(path, content) {
      const target = await jail.resolve(path);
      notRoot(target, 'overwritten');
      if ((await lstat(target).catch(() => null))?.isDirectory()) {
        throw new AppError('INVALID_PATH', `${path} is a folder.`, { remedy: 'Choose a file name.' });
      }
      await mkdir(dirname(target), { recursive: true });
      await writeBeside(target, (handle) => handle.writeFile(content, 'utf8'));
      return entry(target);
    },

    async createFolder(path) {
      const target = await jail.resolve(path);
      notRoot(target, 'created');
      await mkdir(target, { recursive: true });
      return entry(target);
    },

    async rename(from, to) {
      const source = await jail.resolve(from);
      const target = await jail.resolve(to);
      notRoot(source, 'renamed');
      notRoot(target, 'replaced');
      if (await lstat(target).catch(() => null)) {
        throw new AppError('CONFLICT', `${to} already exists.`, { remedy: 'Choose another name, or delete the other file first.' });
      }
      await mkdir(dirname(target), { recursive: true });
      await rename(source, target);
      return entry(target);
    },

    async remove(path) {
      const target = await jail.resolve(path);
      notRoot(target, 'deleted');
      if (!(await lstat(target).catch(() => null))) return false;
      // rm does not follow links: a link is removed, never what it points to.
      await rm(target, { recursive: true, force: true });
      return true;
    },

    async uploadChunk(uploadId, path, offset, data, done) {
      let upload = uploads.get(uploadId);
      if (!upload) {
        if (offset !== 0) throw new AppError('UPLOAD_UNKNOWN', 'This upload was interrupted.', { remedy: 'Drop the file again.' });
        const target = await jail.resolve(path);
        notRoot(target, 'replaced');
        await mkdir(dirname(target), { recursive: true });
        const temp = join(dirname(target), `.${basename(target)}.${uploadId.slice(0, 8)}.part`);
        await (await open(temp, WRITE_FLAGS, 0o644)).close();
        upload = { temp, target, received: 0, timer: setTimeout(() => {}, 0) };
        uploads.set(uploadId, upload);
      }
      const current = upload;
      if (offset !== current.received) throw new AppError('UPLOAD_OUT_OF_ORDER', `Expected the chunk at ${current.received}, not ${offset}.`, { remedy: 'Drop the file again.' });
      // Counted before the write, so a second chunk for the same offset is refused, not appended twice.
      current.received += data.length;
      clearTimeout(current.timer);
      try {
        const handle = await open(current.temp, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW);
        try {
          await handle.write(data);
        } finally {
          await handle.close();
        }
      } catch (error) {
        uploads.delete(uploadId);
        await rm(current.temp, { force: true });
        throw error;
      }
      if (done) {
        uploads.delete(uploadId);
        await rename(current.temp, current.target);
      } else {
        // An upload the renderer abandons (window closed) leaves no half file behind for long.
        current.timer = setTimeout(() => {
          uploads.delete(uploadId);
          void rm(current.temp, { force: true });
        }, 5 * 60_000);
        current.timer.unref();
      }
      return current.received;
    },

    async realFile(path) {
      const target = await jail.resolve(path);
      const real = await realpath(target).catch(() => {
        throw new AppError('NOT_FOUND', `${path} does not exist.`, { remedy: 'Reload the file list.' });
      });
      // resolve() checked every existing component; this re-checks the final one after realpath.
      if (!jail.contains(real)) throw new AppError('JAIL_ESCAPE', `${path} leads outside the workspace; nothing was done.`);
      const info = await stat(real);
      if (!info.isFile()) throw new AppError('INVALID_PATH', `${path} is not a file.`, { remedy: 'Choose a file.' });
      return { path: real, size: info.size };
    },
  };
}
