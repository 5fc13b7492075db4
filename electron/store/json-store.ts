import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { AppError } from '../app-error.js';
import { writeFileAtomic } from './atomic-write.js';
import { createSerialQueue } from './serial-queue.js';

/**
 * One JSON document in the app data directory, e.g. `settings.json`.
 *
 * On disk: `{ "schemaVersion": N, "data": … }`. Writes are atomic (temp file, fsync, rename,
 * fsync of the directory) so a crash or power loss leaves either the old or the new document,
 * never half of one. A file that cannot be read as the current schema is never overwritten:
 * it is renamed to `NAME.corrupt-TIMESTAMP.json`, reported, and the store starts from defaults.
 */
export interface JsonStore<T> {
  /** Reads the document once; later calls return the cached value. */
  load(): Promise<LoadResult<T>>;
  /** Replaces the document atomically. Concurrent saves are applied in call order. */
  save(data: T): Promise<void>;
}

export interface LoadResult<T> {
  data: T;
  /** Set when the file on disk could not be used and was kept aside as a backup. */
  recovered?: { backupName: string; reason: string };
}

export interface JsonStoreOptions<T> {
  dir: string;
  /** File name without directory, e.g. `settings.json`. */
  name: string;
  schemaVersion: number;
  schema: z.ZodType<T>;
  defaults: () => T;
  /** Injected so tests can give backups a predictable name. */
  now?: () => Date;
}

export function createJsonStore<T>(options: JsonStoreOptions<T>): JsonStore<T> {
  const { dir, name, schemaVersion, schema, defaults } = options;
  const now = options.now ?? (() => new Date());
  const file = join(dir, name);
  let loading: Promise<LoadResult<T>> | undefined;
  const writes = createSerialQueue();

  async function readOrRecover(): Promise<LoadResult<T>> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return { data: defaults() };
      throw new AppError('STORE_READ_FAILED', `Firedeck could not read its ${name}.`, {
        remedy: 'Check that the Firedeck data folder is readable by your user, then restart Firedeck.',
        cause: error,
      });
    }
    const problem = validate(text);
    if (problem.ok) return { data: problem.data };
    const backupName = `${name.replace(/\.json$/, '')}.corrupt-${now().toISOString().replace(/[:.]/g, '-')}.json`;
    await rename(file, join(dir, backupName));
    return { data: defaults(), recovered: { backupName, reason: problem.reason } };
  }

  function validate(text: string): { ok: true; data: T } | { ok: false; reason: string } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'it is not valid JSON' };
    }
    if (typeof parsed !== 'object' || parsed === null || !('schemaVersion' in parsed) || !('data' in parsed)) {
      return { ok: false, reason: 'it is not a Firedeck data file' };
    }
    if (parsed.schemaVersion !== schemaVersion) {
      return {
        ok: false,
        reason: `it has schema version ${String(parsed.schemaVersion)}, and this Firedeck reads version ${schemaVersion}`,
      };
    }
    const result = schema.safeParse(parsed.data);
    if (!result.success) return { ok: false, reason: 'its content does not match what Firedeck expects' };
    return { ok: true, data: result.data };
  }

  async function writeAtomically(data: T): Promise<void> {
    try {
      await writeFileAtomic(file, `${JSON.stringify({ schemaVersion, data }, null, 2)}\n`);
    } catch (error) {
      throw new AppError('STORE_WRITE_FAILED', `Firedeck could not save ${name}; the previous copy is unchanged.`, {
        remedy: 'Check free disk space and the permissions of the Firedeck data folder, then try again.',
        cause: error,
      });
    }
  }

  return {
    load() {
      loading ??= readOrRecover().catch((error: unknown) => {
        loading = undefined; // let a later call retry, e.g. after the user fixed permissions
        throw error;
      });
      return loading;
    },
    save(data) {
      return writes.run(async () => {
        await writeAtomically(data);
        loading = Promise.resolve({ data });
      });
    },
  };
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
