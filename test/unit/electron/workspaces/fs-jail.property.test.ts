import { lstat, mkdir, mkdtemp, readlink, realpath, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsJail } from '../../../../electron/workspaces/fs-jail';

/*
 * Properties of FsJail against real directory trees. No seed is fixed, so every run explores
 * new paths; fast-check prints the seed and the shrunk counterexample when one fails.
 */

const RUN = { numRuns: 400, timeout: 2_000, interruptAfterTimeLimit: 4_000 } as const;
const TEST_TIMEOUT = 15_000;
const CODES = ['JAIL_ESCAPE', 'INVALID_PATH'];
const MAX_HOPS = 40;

/** Raw errno errors a property may tolerate: none, every refusal must be an AppError. */
const KNOWN_RAW_ERRNOS: readonly string[] = [];

const NOWHERE = Symbol('nowhere');

/**
 * Where a write to `path` lands, worked out independently of FsJail: the path is walked one
 * component at a time the way the kernel does (links are followed, `..` climbs from where the
 * walk really is), and missing directories count as created on the way (`mkdir -p`). A file used
 * as a directory ends the walk at the file. `NOWHERE` when the kernel would refuse outright:
 * more than 40 links, or `..` right after a missing directory (ENOENT).
 */
async function landing(path: string): Promise<string | typeof NOWHERE> {
  const queue = path.split(sep);
  let at: string = sep;
  let missing = false; // whether `at` does not exist (and so neither does anything below it)
  let hops = 0;
  for (let part = queue.shift(); part !== undefined; part = queue.shift()) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (missing) return NOWHERE;
      at = dirname(at);
      continue;
    }
    const next = join(at, part);
    if (missing) {
      at = next;
      continue;
    }
    const stats = await lstat(next).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    });
    if (stats === null) {
      at = next;
      missing = true;
    } else if (stats.isSymbolicLink()) {
      hops += 1;
      if (hops > MAX_HOPS) return NOWHERE;
      const text = await readlink(next);
      if (isAbsolute(text)) at = sep;
      queue.unshift(...text.split(sep));
    } else if (!stats.isDirectory() && queue.some((rest) => rest !== '' && rest !== '.')) {
      return next;
    } else {
      at = next;
    }
  }
  return at;
}

function within(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

function errnoOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/**
 * The invariants for one input: a refusal carries an expected code; an answer is a clean
 * absolute path under `root` (the canonical root, found independently of the jail), and the
 * place the filesystem puts it is under `root` too.
 */
async function check(jail: FsJail, root: string, input: string, tolerated: readonly string[] = []): Promise<void> {
  let resolved: string;
  try {
    resolved = await jail.resolve(input);
  } catch (error) {
    const code = errnoOf(error);
    if (typeof code === 'string' && tolerated.includes(code)) return;
    expect(CODES, `${JSON.stringify(input)} threw ${String(error)}`).toContain(code);
    expect(error).toMatchObject({ name: 'AppError' });
    return;
  }
  expect(within(root, resolved), `${JSON.stringify(input)} → ${resolved}`).toBe(true);
  expect(resolved, `${JSON.stringify(input)} → ${resolved} is not normalised`).toBe(
    normalize(resolved).replace(/(.)\/+$/, '$1'),
  );

  const landed = await landing(resolved);
  if (landed === NOWHERE) return; // nothing can be written there
  expect(within(root, landed), `${JSON.stringify(input)} → ${resolved} lands at ${landed}, outside ${root}`).toBe(true);

  // The oracle agrees with the kernel wherever the kernel can answer.
  const real = await realpath(resolved).catch(() => undefined);
  if (real !== undefined) expect(landed).toBe(real);
}

describe('FsJail properties on a fixed tree', () => {
  let base: string;
  let root: string; // canonical: <base>/real/jail
  let aliasRoot: string; // <base>/alias/jail, through <base>/alias → <base>/real
  let outside: string;
  let jail: FsJail;
  let names: string[];
  let prefixes: string[];

  beforeAll(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'firedeck-fs-jail-prop-')));
    root = join(base, 'real', 'jail');
    aliasRoot = join(base, 'alias', 'jail');
    outside = join(base, 'outside');

    const dirs = ['a/b/c', 'docs', 'empty'];
    const files = ['a/file-a.txt', 'a/b/file-b.txt', 'docs/readme.md', 'top.txt'];
    const links: [string, string][] = [
      ['in-file', 'a/b/file-b.txt'],
      ['in-dir', 'a/b'],
      ['a/in-up', '../docs'],
      ['in-abs', join(root, 'docs')],
      ['in-alias', join(aliasRoot, 'a')],
      ['out-abs', outside],
      ['out-rel', '../../outside'],
      ['a/b/out-deep', '../../../../outside/sub'],
      ['out-file', join(outside, 'secret.txt')],
      ['out-evil', '../jail-evil'],
      ['out-alias', join(base, 'alias', 'jail-evil')],
      ['chain-out', 'chain-out-mid'],
      ['chain-out-mid', outside],
      ['chain-out-rel', 'out-rel'],
      ['chain-in', 'chain-in-mid'],
      ['chain-in-mid', 'a/b'],
      ['up', '..'],
      ['dot', '.'],
      ['a/dot-dot', '..'],
      ['slash', '/'],
      ['dangle-out', join(outside, 'newfile')],
      ['dangle-out-rel', '../../outside/newfile-rel'],
      ['dangle-out-dir', join(outside, 'nodir', 'new')],
      ['dangle-chain-out', 'dangle-out'],
      ['dangle-alias-out', join(base, 'alias', 'jail-evil', 'new')],
      ['dangle-in', 'a/b/not-yet.txt'],
      ['dangle-in-dir', 'newdir/new.txt'],
      ['a/dangle-up-in', '../later.txt'],
      ['dangle-alias-in', join(aliasRoot, 'via-alias.txt')],
      ['dangle-chain-in', 'dangle-in'],
    ];

    for (const dir of dirs) await mkdir(join(root, dir), { recursive: true });
    for (const file of files) await writeFile(join(root, file), 'inside');
    await mkdir(join(outside, 'sub'), { recursive: true });
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await mkdir(join(base, 'real', 'jail-evil'));
    await writeFile(join(base, 'real', 'jail-evil', 'x'), 'sibling');
    await symlink(join(base, 'real'), join(base, 'alias'));
    for (const [name, target] of links) await symlink(target, join(root, name));

    jail = await FsJail.open(aliasRoot);
    names = [
      ...new Set([
        ...[...dirs, ...files, ...links.map(([name]) => name)].flatMap((path) => path.split('/')),
        ...['real', 'jail', 'alias', 'outside', 'secret.txt', 'sub', 'jail-evil', '-evil', 'x', 'nodir', 'newfile'],
      ]),
    ];
    prefixes = [
      `${root}/`,
      `${aliasRoot}/`,
      root, // followed directly by the first segment: `<root>-evil`, `<root>x`, …
      aliasRoot,
      '/',
      '/etc/',
      `${outside}/`,
      `${base}/`,
      `${base}/real/`,
      `${base}/alias/`,
    ];
  });

  afterAll(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  const newName = fc.stringMatching(/^[a-z0-9._-]{1,8}$/);

  function pathArbitrary(): fc.Arbitrary<string> {
    const segment = fc.oneof(
      { arbitrary: fc.constant('..'), weight: 2 },
      { arbitrary: fc.constant('.'), weight: 1 },
      { arbitrary: fc.constant(''), weight: 1 },
      { arbitrary: fc.constantFrom(...names), weight: 7 },
      { arbitrary: newName, weight: 2 },
    );
    const prefix = fc.oneof(
      { arbitrary: fc.constant(''), weight: 5 },
      { arbitrary: fc.constantFrom(...prefixes), weight: 3 },
    );
    return fc
      .tuple(prefix, fc.array(segment, { maxLength: 8 }), fc.constantFrom('', '/'))
      .map(([start, segments, end]) => start + segments.join('/') + (segments.length > 0 ? end : ''));
  }

  it('the jail is the canonical root', () => {
    expect(jail.root).toBe(root);
  });

  it('never answers with a path the filesystem puts outside the root', { timeout: TEST_TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(pathArbitrary(), async (input) => check(jail, root, input)),
      RUN,
    );
  });

  it('refuses arbitrary strings only with JAIL_ESCAPE or INVALID_PATH', { timeout: TEST_TIMEOUT }, async () => {
    // At most 60 code points of up to 4 UTF-8 bytes stay under NAME_MAX (255 bytes); longer
    // components hit a known bug (raw ENAMETOOLONG, see fs-jail.test.ts).
    const input = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.tuple(pathArbitrary(), fc.string({ maxLength: 4 }), pathArbitrary()).map((parts) => parts.join('')),
      fc.tuple(pathArbitrary(), fc.constantFrom('\0', '\\', '\\..\\', '/\0/')).map(([path, extra]) => path + extra),
    );
    await fc.assert(
      fc.asyncProperty(input, async (path) => check(jail, root, path)),
      RUN,
    );
  });

  it('resolves paths without links exactly as a lexical oracle does', { timeout: TEST_TIMEOUT }, async () => {
    // Only real directories, files and names that do not exist: no links anywhere.
    const plain = ['a', 'b', 'c', 'docs', 'empty', 'file-a.txt', 'file-b.txt', 'readme.md', 'top.txt', '...', '..a', 'a..', '.x'];
    const segment = fc.oneof(
      { arbitrary: fc.constant('..'), weight: 3 },
      { arbitrary: fc.constant('.'), weight: 1 },
      { arbitrary: fc.constant(''), weight: 1 },
      { arbitrary: fc.constantFrom(...plain), weight: 5 },
      { arbitrary: newName.map((name) => `n-${name}`), weight: 2 },
    );
    const input = fc.tuple(
      fc.constantFrom('', '', `${root}/`, `${aliasRoot}/`),
      fc.array(segment, { minLength: 1, maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(input, async ([start, segments]) => {
        const path = start + segments.join('/');
        if (path === '') {
          await expect(jail.resolve(path)).rejects.toMatchObject({ code: 'INVALID_PATH' });
          return;
        }
        // The oracle: normalise with node:path and see where that sits relative to the root.
        // A relative path whose first segment is empty is absolute (`/a`), hence outside.
        let rest: string | undefined;
        if (!isAbsolute(path)) {
          const lexical = normalize(path);
          rest = lexical === '..' || lexical.startsWith('../') ? undefined : lexical;
        } else if (start !== '') {
          const rel = relative(start.slice(0, -1), normalize(path));
          rest = rel === '..' || rel.startsWith('../') || isAbsolute(rel) ? undefined : rel;
        }
        if (rest === undefined) {
          await expect(jail.resolve(path), path).rejects.toMatchObject({ code: 'JAIL_ESCAPE' });
        } else {
          const expected = join(root, rest).replace(/(.)\/+$/, '$1');
          expect(await jail.resolve(path), path).toBe(expected);
        }
      }),
      RUN,
    );
  });
});

describe('FsJail properties on random link trees', () => {
  // One skeleton, <base>/jail/{d1/d2/, f}, <base>/o/s and <base>/jail-x/; each run adds up to
  // five links named l0…l3 inside the jail, with texts built from the same names, and removes
  // them afterwards (creating files is slow on some disks, removing links is not).
  let base: string;
  let root: string;
  let jail: FsJail;

  beforeAll(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'firedeck-fs-jail-trees-')));
    root = join(base, 'jail');
    await mkdir(join(root, 'd1', 'd2'), { recursive: true });
    await writeFile(join(root, 'f'), 'inside');
    await mkdir(join(base, 'o'));
    await writeFile(join(base, 'o', 's'), 'secret');
    await mkdir(join(base, 'jail-x'));
    jail = await FsJail.open(root);
  });

  afterAll(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  const LINK_NAMES = ['l0', 'l1', 'l2', 'l3'];
  const WORDS = ['d1', 'd2', 'f', 'o', 's', 'jail', 'jail-x', 'new', ...LINK_NAMES];
  const textSegment = fc.oneof(
    { arbitrary: fc.constant('..'), weight: 3 },
    { arbitrary: fc.constantFrom('.', ''), weight: 1 },
    { arbitrary: fc.constantFrom(...WORDS), weight: 6 },
    // A name undone at once: lexically a no-op, physically a climb from wherever the name leads.
    { arbitrary: fc.constantFrom(...WORDS.map((word) => `${word}/..`)), weight: 2 },
  );
  const linkText = fc.record({
    anchor: fc.constantFrom('', '', '', '@jail/', '@base/', '@o/', '/'),
    segments: fc.array(textSegment, { minLength: 1, maxLength: 5 }),
  });
  const link = fc.record({ dir: fc.constantFrom('', 'd1', 'd1/d2'), name: fc.constantFrom(...LINK_NAMES), text: linkText });
  const tree = fc.uniqueArray(link, { minLength: 1, maxLength: 5, selector: (entry) => `${entry.dir}/${entry.name}` });
  const query = fc.record({
    anchor: fc.constantFrom('', '', '', '@jail/', '@base/'),
    segments: fc.array(textSegment, { maxLength: 6 }),
  });

  function expand({ anchor, segments }: { anchor: string; segments: string[] }): string {
    const start = { '@jail/': `${root}/`, '@base/': `${base}/`, '@o/': `${join(base, 'o')}/` }[anchor] ?? anchor;
    return start + segments.join('/');
  }

  it('never answers with a path the filesystem puts outside the root', { timeout: TEST_TIMEOUT }, async () => {
    await fc.assert(
      fc.asyncProperty(
        tree,
        fc.array(query, { minLength: 1, maxLength: 8 }),
        async (links, queries) => {
          const made: string[] = [];
          try {
            for (const entry of links) {
              const text = expand(entry.text);
              if (text === '') continue;
              const at = join(root, entry.dir, entry.name);
              await symlink(text, at);
              made.push(at);
            }
            for (const entry of queries) await check(jail, root, expand(entry), KNOWN_RAW_ERRNOS);
          } finally {
            for (const at of made) await unlink(at);
          }
        },
      ),
      { ...RUN, numRuns: 300 },
    );
  });
});
