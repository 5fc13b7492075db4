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
 * it is renamed to `NAME.corrupt-TIMESTAMP.json`, reported (with the sentence the user is
 * shown), and the store starts from defaults.
 */
export interface JsonStore<T> {
  /** Reads the document once; later calls return the cached value. */
  load(): Promise<LoadResult<T>>;
  /** The document as last loaded or saved; `load()` must have succeeded first. */
  current(): T;
  /** Replaces the document atomically. Concurrent saves and updates are applied in call order. */
  save(data: T): Promise<void>;
  /**
   * Read-modify-write: `change` gets the document as it is when its turn comes (after every
   * earlier save and update), so concurrent changes all survive. Returning the same object as
   * `next` writes nothing. Resolves with `result` once `next` is on disk.
   */
  update<R>(change: (current: T) => { next: T; result: R }): Promise<R>;
}

export interface LoadResult<T> {
  data: T;
  /** Set when the file on disk could not be used and was kept aside as a backup. */
  recovered?: Recovered;
}

export interface Recovered {
  backupName: string;
  reason: string;
  /** What the user is told, e.g. "Your host list could not be read (…). Firedeck kept it as …". */
  message: string;
  remedy: string;
}

export interface JsonStoreOptions<T> {
  dir: string;
  /** File name without directory, e.g. `settings.json`. */
  name: string;
  schemaVersion: number;
  schema: z.ZodType<T>;
  defaults: () => T;
  /** How a recovered file is told to the user: "{what} could not be read (…) and {consequence}." */
  recovery?: { what: string; consequence: string; remedy: string };
  /** Injected so tests can give backups a predictable name. */
  now?: () => Date;
}

export function createJsonStore<T>(options: JsonStoreOptions<T>): JsonStore<T> {
  const { dir, name, schemaVersion, schema, defaults } = options;
  const now = options.now ?? (() => new Date());
  const file = join(dir, name);
  let loading: Promise<LoadResult<T>> | undefined;
  let cached: { data: T } | undefined;
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
    const { what, consequence, remedy } = options.recovery ?? {
      what: `Firedeck’s ${name}`,
      consequence: 'started from its defaults',
      remedy: 'Nothing needs doing unless you miss something from the backup file.',
    };
    const message = `${what} could not be read (${problem.reason}). Firedeck kept it as ${backupName} in its data folder and ${consequence}.`;
    return { data: defaults(), recovered: { backupName, reason: problem.reason, message, remedy } };
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

  async function replace(data: T) {
    await writeAtomically(data);
    cached = { data };
    loading = Promise.resolve({ data });
  }

  const store: JsonStore<T> = {
    load() {
      loading ??= readOrRecover().then(
        (result) => {
          cached = { data: result.data };
          return result;
        },
        (error: unknown) => {
          loading = undefined; // let a later call retry, e.g. after the user fixed permissions
          throw error;
        },
      );
      return loading;
    },
    current() {
      if (!cached) throw new Error(`${name} was read before it was loaded`);
      return cached.data;
    },
    save: (data) => writes.run(() => replace(data)),
    update: (change) =>
      writes.run(async () => {
        const { next, result } = change((await store.load()).data);
        if (next !== cached?.data) await replace(next);
        return result;
      }),
  };
  return store;
}

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
