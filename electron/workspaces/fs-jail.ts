import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize, resolve as resolvePath, sep } from 'node:path';
import { AppError } from '../app-error.js';

const MAX_PATH = 4096;
const MAX_LINK_HOPS = 40; // as the kernel's ELOOP limit

/**
 * Keeps paths that come from the renderer (or a remote listing) inside one folder.
 *
 * - `.` and `..` are resolved lexically; the target itself is never canonicalised, so paths that
 *   do not exist yet work.
 * - The root is canonicalised once. Absolute paths are accepted under either spelling of it
 *   (on macOS `/var/…` is `/private/var/…`).
 * - Symlinks: the deepest existing ancestor of the target is resolved (following a dangling
 *   link to where it would land); if that leaves the root, the path is an escape.
 *
 * The returned path holds no `..`, so the kernel only follows links in its components, and all
 * of those were checked. What remains is the check-then-use race: a component could be swapped
 * for a link between `resolve` and the use. Writers therefore open the final component with
 * O_NOFOLLOW (see workspace-files.ts); a swapped parent directory is not caught, which is why
 * the jail root must not be writable by anyone but the user.
 */
export class FsJail {
  private constructor(
    /** The canonical root. */
    readonly root: string,
    /** Every spelling of the root an absolute path may start with. */
    private readonly spellings: readonly string[],
    private readonly onEscape: (path: string) => void,
  ) {}

  /** `onEscape` hears of every refused escape, for the security log. */
  static async open(root: string, options: { onEscape?(path: string): void } = {}): Promise<FsJail> {
    const given = resolvePath(root);
    const canonical = await realpath(given);
    return new FsJail(canonical, [...new Set([canonical, normalize(given).replace(/[\\/]+$/, '') || sep])], options.onEscape ?? (() => {}));
  }

  /** The absolute path to use for `path`, or an AppError `INVALID_PATH` / `JAIL_ESCAPE`. */
  resolve(path: string): Promise<string> {
    // The work is synchronous (see `landing`); one settled promise instead of two async frames.
    try {
      return Promise.resolve(this.resolveInside(path));
    } catch (error) {
      if (error instanceof AppError && error.code === 'JAIL_ESCAPE') this.onEscape(path);
      return Promise.reject(error);
    }
  }

  private resolveInside(path: string): string {
    if (typeof path !== 'string' || path.length === 0) throw invalid('The path is empty.');
    if (path.includes('\0')) throw invalid('The path contains a NUL byte.');
    if (path.length > MAX_PATH) throw invalid(`The path is longer than ${MAX_PATH} characters.`);

    const relative = this.relativePart(path);
    let target: string;
    if (PLAIN_RELATIVE.test(relative)) {
      // Nothing to normalise (no `.`, `..`, empty names or backslashes): the common case.
      target = this.rootPrefix + relative;
    } else {
      const segments: string[] = [];
      for (const segment of relative.split(/[\\/]+/)) {
        if (segment === '' || segment === '.') continue;
        if (segment === '..') {
          if (segments.length === 0) throw escape(path);
          segments.pop();
        } else {
          segments.push(segment);
        }
      }
      // Each segment is a plain name now: joining needs no second normalisation.
      target = segments.length === 0 ? this.root : this.rootPrefix + segments.join(sep);
    }
    if (!this.contains(landing(target))) throw escape(path);
    return target;
  }

  /** The root with one separator after it. */
  private get rootPrefix(): string {
    return this.root.endsWith(sep) ? this.root : this.root + sep;
  }

  /** True when `absolute` (already canonical) is the root or lies under it. */
  contains(absolute: string): boolean {
    return absolute === this.root || absolute.startsWith(this.rootPrefix);
  }

  private relativePart(path: string): string {
    if (!isAbsolute(path)) return path;
    const lexical = normalize(path);
    for (const spelling of this.spellings) {
      if (lexical === spelling) return '';
      const prefix = spelling.endsWith(sep) ? spelling : spelling + sep;
      if (lexical.startsWith(prefix)) return lexical.slice(prefix.length);
    }
    throw escape(path);
  }
}

/** Relative paths made only of plain names joined by single `/`: nothing to normalise lexically. */
const PLAIN_RELATIVE = /^(?!\.\.?(?:\/|$))(?:[^/\\]+\/(?!\.\.?(?:\/|$)))*[^/\\]+$/;

/**
 * Where `target` really is, as far as the filesystem can tell: the canonical path of its
 * deepest existing ancestor, with dangling links followed to where they would point.
 */
// Synchronous on purpose: each call is one realpath(3) of a few microseconds, and going through
// the libuv thread pool made resolve about ten times slower (npm run bench). Exceptions are
// avoided on the usual paths: a failing realpathSync costs three times a successful one (its
// Error and stack), so a path is only handed to realpath once existsSync/lstat (which report a
// missing file without throwing) say there is something to resolve.
function landing(target: string): string {
  if (existsSync(target)) {
    try {
      return realpathSync.native(target);
    } catch {
      // Gone since, or a loop: the walk below tells which.
    }
  }
  let probe = target;
  for (let hops = 0; hops <= MAX_LINK_HOPS; ) {
    const entry = lstatQuiet(probe);
    if (entry !== undefined) {
      // Something is there (or lstat could not tell: ENOTDIR, ELOOP, a name too long):
      // realpath answers, or throws the error that says why not.
      try {
        return realpathSync.native(probe);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ELOOP') throw tooManyLinks();
        if (code === 'ENAMETOOLONG') throw invalid('The path or one of its names is too long.');
        if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      }
      if (entry?.isSymbolicLink()) {
        // A dangling link: where a write through it would create the file.
        probe = followLinkText(realpathSync.native(dirname(probe)), readlinkSync(probe));
        hops += 1;
        continue;
      }
    }
    const parent = dirname(probe);
    if (parent === probe) return probe;
    probe = parent;
  }
  throw tooManyLinks();
}

/** lstat without following the last name: undefined when nothing is there, null when lstat itself failed otherwise. */
function lstatQuiet(path: string) {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) ?? undefined;
  } catch {
    return null;
  }
}

/**
 * Applies a link's text one component at a time, as the kernel does: each `..` climbs from the
 * real place reached so far, not from the text (`sub/deep/../..` where `sub/deep` is itself a
 * link climbs from wherever `sub/deep` points).
 */
function followLinkText(dir: string, text: string): string {
  let at = isAbsolute(text) ? sep : dir;
  for (const part of text.split(sep)) {
    if (part === '' || part === '.') continue;
    if (part !== '..') {
      at = join(at, part);
      continue;
    }
    const real = realpathOrNull(at);
    // `..` after a name that does not exist fails in the kernel too; refusing is the safe answer.
    if (real === null) throw new AppError('JAIL_ESCAPE', 'The path goes through a link that cannot be followed safely; nothing was done.');
    at = dirname(real);
  }
  return at;
}

function realpathOrNull(path: string): string | null {
  try {
    return realpathSync.native(path);
  } catch {
    return null;
  }
}

function tooManyLinks(): AppError {
  return new AppError('JAIL_ESCAPE', 'The path goes through too many symbolic links; nothing was done.', {
    remedy: 'Remove the link loop from the workspace folder.',
  });
}

function invalid(message: string): AppError {
  return new AppError('INVALID_PATH', message, { remedy: 'Choose a file inside the workspace.' });
}

function escape(path: string): AppError {
  return new AppError('JAIL_ESCAPE', `The path ${JSON.stringify(path.length > 200 ? `${path.slice(0, 200)}…` : path)} leads outside the workspace; nothing was done.`, {
    remedy: 'Choose a file inside the workspace folder. Links that point outside it cannot be followed.',
  });
}
