import { mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/app-error';
import { FsJail } from '../../../../electron/workspaces/fs-jail';

/** The AppError `promise` rejects with; fails the test when it resolves or rejects with anything else. */
async function failure(promise: Promise<string>): Promise<AppError> {
  let value: string;
  try {
    value = await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error(`expected a rejection, but it resolved to ${JSON.stringify(value)}`);
}

async function codeOf(promise: Promise<string>): Promise<string> {
  return (await failure(promise)).code;
}

const LOOP_LENGTH = 41; // one more than the kernel's (and the jail's) limit of 40 hops
const CHAIN_LENGTH = 40;

describe('FsJail', () => {
  let base: string;
  let root: string;
  let outside: string;
  let jail: FsJail;

  beforeAll(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'firedeck-fs-jail-')));
    root = join(base, 'jail');
    outside = join(base, 'outside');
    await mkdir(join(root, 'a', 'b', 'c'), { recursive: true });
    await writeFile(join(root, 'a', 'b', 'file.txt'), 'inside');
    await writeFile(join(root, 'top.txt'), 'inside');
    await mkdir(join(outside, 'sub'), { recursive: true });
    await writeFile(join(outside, 'secret'), 'secret');
    await mkdir(join(base, 'jail-sibling'));
    await writeFile(join(base, 'jail-sibling', 'f'), 'sibling');

    const links: [string, string][] = [
      ['in-file', 'a/b/file.txt'],
      ['in-dir', 'a/b'],
      ['evil-dir-link', outside],
      ['evil-rel', '../outside'],
      ['evil-file', join(outside, 'secret')],
      ['evil-sibling', '../jail-sibling'],
      ['dangling-out', join(outside, 'newfile')],
      ['dangling-out-rel', '../outside/newfile-rel'],
      ['dangling-in', 'a/b/later.txt'],
      ['chain-out-1', 'chain-out-2'],
      ['chain-out-2', outside],
      ['chain-in-1', 'chain-in-2'],
      ['chain-in-2', 'a/b'],
      ['up', '..'],
      ['dot', '.'],
      ['slash', '/'],
      ['self', 'self'],
    ];
    for (let i = 0; i < LOOP_LENGTH; i += 1) links.push([`loop-${i}`, `loop-${(i + 1) % LOOP_LENGTH}`]);
    // Chains of 40 dangling links, as many as the kernel follows, ending outside and inside.
    for (let i = 0; i < CHAIN_LENGTH; i += 1) {
      const last = i === CHAIN_LENGTH - 1;
      links.push([`hop-out-${i}`, last ? join(outside, 'chained.txt') : `hop-out-${i + 1}`]);
      links.push([`hop-in-${i}`, last ? 'a/chained.txt' : `hop-in-${i + 1}`]);
    }
    for (const [name, target] of links) await symlink(target, join(root, name));

    jail = await FsJail.open(root);
  });

  afterAll(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  describe('open', () => {
    it('keeps the canonical root', async () => {
      expect(jail.root).toBe(root);
      expect((await FsJail.open(`${root}/`)).root).toBe(root);
      expect((await FsJail.open(join(root, 'a', '..'))).root).toBe(root);
    });

    it('refuses a root that does not exist', async () => {
      await expect(FsJail.open(join(base, 'missing'))).rejects.toThrow();
    });
  });

  describe('paths without links', () => {
    it('maps the root itself, however it is spelled', async () => {
      for (const path of ['.', './', './/.', 'a/..', root, `${root}/`, `${root}/./a/..`]) {
        expect(await jail.resolve(path), path).toBe(root);
      }
    });

    it('takes relative paths from the root and normalises them lexically', async () => {
      expect(await jail.resolve('top.txt')).toBe(join(root, 'top.txt'));
      expect(await jail.resolve('a//b/./c/../file.txt')).toBe(join(root, 'a', 'b', 'file.txt'));
      expect(await jail.resolve('a/b/')).toBe(join(root, 'a', 'b'));
    });

    it('accepts targets that do not exist yet, however deep', async () => {
      expect(await jail.resolve('a/b/c/new.txt')).toBe(join(root, 'a', 'b', 'c', 'new.txt'));
      expect(await jail.resolve('x/y/z/new.txt')).toBe(join(root, 'x', 'y', 'z', 'new.txt'));
      expect(await jail.resolve(`${root}/x/y/new.txt`)).toBe(join(root, 'x', 'y', 'new.txt'));
    });

    it('accepts a path below a file (the use fails later with ENOTDIR, inside the root)', async () => {
      expect(await jail.resolve('top.txt/x')).toBe(join(root, 'top.txt', 'x'));
    });

    it('accepts absolute paths inside the root', async () => {
      expect(await jail.resolve(join(root, 'a', 'b', 'file.txt'))).toBe(join(root, 'a', 'b', 'file.txt'));
      expect(await jail.resolve(`${root}/a/../top.txt`)).toBe(join(root, 'top.txt'));
    });

    it.each([
      '..',
      '../',
      '../../etc/passwd',
      'x/../../',
      'a/../..',
      'a/b/../../../jail/top.txt',
      './..',
    ])('refuses %j, which climbs above the root', async (path) => {
      expect(await codeOf(jail.resolve(path))).toBe('JAIL_ESCAPE');
    });

    it('refuses absolute paths outside the root', async () => {
      for (const path of ['/', '/etc/passwd', '/etc/../etc/passwd', outside, join(outside, 'secret'), base]) {
        expect(await codeOf(jail.resolve(path)), path).toBe('JAIL_ESCAPE');
      }
    });

    it('refuses absolute paths that leave the root through ..', async () => {
      expect(await codeOf(jail.resolve(`${root}/../outside/secret`))).toBe('JAIL_ESCAPE');
      expect(await codeOf(jail.resolve(`${root}/a/../../outside/new.txt`))).toBe('JAIL_ESCAPE');
      expect(await codeOf(jail.resolve(`${root}/..`))).toBe('JAIL_ESCAPE');
    });

    it('refuses a sibling whose name starts with the root’s', async () => {
      expect(await codeOf(jail.resolve(join(base, 'jail-sibling', 'f')))).toBe('JAIL_ESCAPE');
      expect(await codeOf(jail.resolve(`${root}-sibling/new.txt`))).toBe('JAIL_ESCAPE');
    });
  });

  describe('invalid input', () => {
    it.each([
      ['the empty string', ''],
      ['a NUL byte', 'a\0b'],
      ['a trailing NUL byte', 'top.txt\0'],
      ['a NUL byte in an absolute path', '/etc/passwd\0'],
      ['more than 4096 characters', 'a/'.repeat(2049)],
    ])('refuses %s as INVALID_PATH', async (_label, path) => {
      expect(await codeOf(jail.resolve(path))).toBe('INVALID_PATH');
    });

    it('refuses a value that is not a string', async () => {
      expect(await codeOf(jail.resolve(42 as unknown as string))).toBe('INVALID_PATH');
      expect(await codeOf(jail.resolve(undefined as unknown as string))).toBe('INVALID_PATH');
    });

    it('gives the user a remedy and never echoes an overlong path in full', async () => {
      const error = await failure(jail.resolve(`../${'x'.repeat(1000)}`));
      expect(error.code).toBe('JAIL_ESCAPE');
      expect(error.remedy).toEqual(expect.any(String));
      expect(error.message.length).toBeLessThan(400);
    });
  });

  describe('links that stay inside', () => {
    it('resolves a link to a file and a link to a directory without canonicalising them', async () => {
      expect(await jail.resolve('in-file')).toBe(join(root, 'in-file'));
      expect(await jail.resolve('in-dir/file.txt')).toBe(join(root, 'in-dir', 'file.txt'));
      expect(await jail.resolve('in-dir/c/new.txt')).toBe(join(root, 'in-dir', 'c', 'new.txt'));
    });

    it('follows a chain of links that ends inside', async () => {
      expect(await jail.resolve('chain-in-1/file.txt')).toBe(join(root, 'chain-in-1', 'file.txt'));
      expect(await jail.resolve('chain-in-1/new/deeper.txt')).toBe(join(root, 'chain-in-1', 'new', 'deeper.txt'));
    });

    it('accepts a dangling link whose target would be created inside', async () => {
      expect(await jail.resolve('dangling-in')).toBe(join(root, 'dangling-in'));
    });

    it('accepts a link to the root itself', async () => {
      expect(await jail.resolve('dot')).toBe(join(root, 'dot'));
      expect(await jail.resolve('dot/dot/top.txt')).toBe(join(root, 'dot', 'dot', 'top.txt'));
    });

    it('treats .. after a link lexically, so the result never holds ..', async () => {
      // `in-dir/..` is the root here, although the kernel would read it as `a`.
      expect(await jail.resolve('in-dir/../top.txt')).toBe(join(root, 'top.txt'));
      expect(await jail.resolve('evil-dir-link/../top.txt')).toBe(join(root, 'top.txt'));
    });
  });

  describe('links that lead outside', () => {
    it.each([
      'evil-dir-link',
      'evil-dir-link/secret',
      'evil-dir-link/new.txt',
      'evil-dir-link/sub/new/deeper.txt',
      'evil-rel/secret',
      'evil-rel/new.txt',
      'evil-file',
      'evil-file/x',
      'evil-sibling/f',
      'evil-sibling/new.txt',
      'a/../evil-dir-link/new.txt',
    ])('refuses %j', async (path) => {
      expect(await codeOf(jail.resolve(path))).toBe('JAIL_ESCAPE');
    });

    it('refuses a dangling link that would create its target outside', async () => {
      expect(await codeOf(jail.resolve('dangling-out'))).toBe('JAIL_ESCAPE');
      expect(await codeOf(jail.resolve('dangling-out-rel'))).toBe('JAIL_ESCAPE');
      expect(await codeOf(jail.resolve(join(root, 'dangling-out')))).toBe('JAIL_ESCAPE');
    });

    it('refuses a chain link → link → outside', async () => {
      expect(await codeOf(jail.resolve('chain-out-1'))).toBe('JAIL_ESCAPE');
      expect(await codeOf(jail.resolve('chain-out-1/secret'))).toBe('JAIL_ESCAPE');
      expect(await codeOf(jail.resolve('chain-out-1/new.txt'))).toBe('JAIL_ESCAPE');
    });

    it('refuses links to .. and to /', async () => {
      for (const path of ['up', 'up/outside/secret', 'up/outside/new.txt', 'slash', 'slash/etc/passwd', 'slash/tmp/new.txt']) {
        expect(await codeOf(jail.resolve(path)), path).toBe('JAIL_ESCAPE');
      }
    });

    it('has not written anything outside while checking', async () => {
      expect((await readdir(outside)).sort()).toEqual(['secret', 'sub']);
    });
  });

  describe('long chains and loops', () => {
    it(`judges a chain of ${CHAIN_LENGTH} dangling links by where it ends`, async () => {
      expect(await codeOf(jail.resolve('hop-out-0'))).toBe('JAIL_ESCAPE');
      expect(await jail.resolve('hop-in-0')).toBe(join(root, 'hop-in-0'));
    });

    it(`does not hang on a ${LOOP_LENGTH}-long loop or a self-loop`, { timeout: 5_000 }, async () => {
      for (const path of ['loop-0', 'loop-0/new.txt', 'self', 'self/new.txt']) {
        await expect(jail.resolve(path), path).rejects.toThrow();
      }
    });

    it('refuses a link loop with an AppError', async () => {
      for (const path of ['loop-0', 'self/new.txt']) {
        expect(['JAIL_ESCAPE', 'INVALID_PATH']).toContain(await codeOf(jail.resolve(path)));
      }
    });
  });

  it('refuses a component longer than 255 bytes with an AppError', async () => {
    expect(await codeOf(jail.resolve('x'.repeat(256)))).toBe('INVALID_PATH');
  });

  describe('onEscape', () => {
    it('hears of every escape, with the path as given, and of nothing else', async () => {
      const heard: string[] = [];
      const watched = await FsJail.open(root, { onEscape: (path) => heard.push(path) });
      await watched.resolve('top.txt');
      await watched.resolve('a/new.txt');
      await expect(watched.resolve('')).rejects.toMatchObject({ code: 'INVALID_PATH' });
      await expect(watched.resolve('a\0b')).rejects.toMatchObject({ code: 'INVALID_PATH' });
      expect(heard).toEqual([]);

      for (const path of ['../x', '/etc/passwd', 'evil-dir-link/new.txt', 'dangling-out']) {
        await expect(watched.resolve(path)).rejects.toMatchObject({ code: 'JAIL_ESCAPE' });
      }
      expect(heard).toEqual(['../x', '/etc/passwd', 'evil-dir-link/new.txt', 'dangling-out']);
    });
  });

  describe('contains', () => {
    it('holds for the root and what lies below it, on a path-separator boundary', () => {
      expect(jail.contains(root)).toBe(true);
      expect(jail.contains(join(root, 'a'))).toBe(true);
      expect(jail.contains(join(root, 'a', 'b', 'new.txt'))).toBe(true);
      expect(jail.contains(`${root}-sibling`)).toBe(false);
      expect(jail.contains(`${root}x/a`)).toBe(false);
      expect(jail.contains(base)).toBe(false);
      expect(jail.contains('/')).toBe(false);
    });
  });
});

describe('FsJail with a dangling link whose text climbs out through another link', () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeAll(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'firedeck-fs-jail-dotdot-')));
    root = join(base, 'jail');
    outside = join(base, 'outside');
    await mkdir(join(root, 'sub'), { recursive: true });
    await mkdir(join(outside, 'a', 'b'), { recursive: true });
    // `sub/deep` leads outside, two levels down; the jail refuses it when asked directly.
    await symlink(join(outside, 'a', 'b'), join(root, 'sub', 'deep'));
    // Read lexically, `sub/deep/../..` is the root, so `evil` seems to land on `<root>/newfile`.
    // The kernel climbs from where `sub/deep` really is, and lands on `<outside>/newfile`.
    await symlink('sub/deep/../../newfile', join(root, 'evil'));
  });

  afterAll(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('the link really does write outside (the premise of the next test)', async () => {
    const scratch = join(base, 'scratch');
    await mkdir(join(scratch, 'sub'), { recursive: true });
    await mkdir(join(scratch, 'o', 'a', 'b'), { recursive: true });
    await symlink(join(scratch, 'o', 'a', 'b'), join(scratch, 'sub', 'deep'));
    await symlink('sub/deep/../../newfile', join(scratch, 'evil'));
    await writeFile(join(scratch, 'evil'), 'x');
    expect(await readdir(join(scratch, 'o'))).toContain('newfile');
    expect(await readdir(scratch)).not.toContain('newfile');
  });

  // A dangling link whose text climbs out of a linked directory: `..` climbs from where the link
  // really points, so this lands outside even though its text reads as if it stayed inside.
  it('refuses it as an escape', async () => {
    const jail = await FsJail.open(root);
    expect(await codeOf(jail.resolve('evil'))).toBe('JAIL_ESCAPE');
  });
});

describe('FsJail on a root reached through a symlinked parent (as /var → /private/var on macOS)', () => {
  let base: string;
  let real: string;
  let alias: string;
  let root: string;
  let jail: FsJail;

  beforeAll(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'firedeck-fs-jail-alias-')));
    real = join(base, 'real');
    alias = join(base, 'alias');
    root = join(real, 'jailroot');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(root, 'existing.txt'), 'inside');
    await mkdir(join(real, 'other'));
    await writeFile(join(real, 'other', 'secret'), 'secret');
    await symlink(real, alias);
    await symlink(join(alias, 'jailroot', 'sub'), join(root, 'via-alias'));
    await symlink(join(alias, 'jailroot', 'later.txt'), join(root, 'dangling-via-alias'));
    await symlink(join(alias, 'other', 'new.txt'), join(root, 'dangling-out-via-alias'));
    await symlink(join(alias, 'other'), join(root, 'out-via-alias'));
    jail = await FsJail.open(join(alias, 'jailroot'));
  });

  afterAll(async () => {
    if (base) await rm(base, { recursive: true, force: true });
  });

  it('keeps the canonical root', () => {
    expect(jail.root).toBe(root);
  });

  it('accepts absolute paths under either spelling and answers with the canonical one', async () => {
    for (const spelling of [join(alias, 'jailroot'), root]) {
      expect(await jail.resolve(spelling), spelling).toBe(root);
      expect(await jail.resolve(`${spelling}/`), spelling).toBe(root);
      expect(await jail.resolve(`${spelling}/existing.txt`), spelling).toBe(join(root, 'existing.txt'));
      expect(await jail.resolve(`${spelling}/sub`), spelling).toBe(join(root, 'sub'));
      expect(await jail.resolve(`${spelling}/new.txt`), spelling).toBe(join(root, 'new.txt'));
      expect(await jail.resolve(`${spelling}/sub/new/deeper.txt`), spelling).toBe(join(root, 'sub', 'new', 'deeper.txt'));
      expect(await jail.resolve(`${spelling}/sub/../existing.txt`), spelling).toBe(join(root, 'existing.txt'));
    }
  });

  it('takes relative paths from the canonical root', async () => {
    expect(await jail.resolve('existing.txt')).toBe(join(root, 'existing.txt'));
    expect(await jail.resolve('new/file.txt')).toBe(join(root, 'new', 'file.txt'));
  });

  it('refuses the rest of the aliased folder under either spelling', async () => {
    for (const path of [
      join(alias, 'other'),
      join(alias, 'other', 'secret'),
      join(alias, 'other', 'new.txt'),
      join(real, 'other', 'secret'),
      `${alias}/jailroot/../other/secret`,
      `${root}/../other/new.txt`,
      `${alias}/jailroot-other/x`,
      alias,
      real,
    ]) {
      expect(await codeOf(jail.resolve(path)), path).toBe('JAIL_ESCAPE');
    }
  });

  it('judges links written with the aliased spelling by where they lead', async () => {
    expect(await jail.resolve('via-alias/new.txt')).toBe(join(root, 'via-alias', 'new.txt'));
    expect(await jail.resolve('dangling-via-alias')).toBe(join(root, 'dangling-via-alias'));
    expect(await codeOf(jail.resolve('dangling-out-via-alias'))).toBe('JAIL_ESCAPE');
    expect(await codeOf(jail.resolve('out-via-alias/secret'))).toBe('JAIL_ESCAPE');
    expect(await codeOf(jail.resolve('out-via-alias/new.txt'))).toBe('JAIL_ESCAPE');
  });

  it('contains() takes canonical paths only', () => {
    expect(jail.contains(join(root, 'sub'))).toBe(true);
    expect(jail.contains(join(alias, 'jailroot', 'sub'))).toBe(false);
  });
});
