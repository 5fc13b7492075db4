import { existsSync, lstatSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/guest-sync-delete.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

let base: string;
let target: string;
let outside: string;
const nul = (paths: string[]) => paths.map((p) => `${p}\0`).join('');

beforeEach(() => {
  base = scratchDir('fd-sync-delete-');
  target = join(base, 'www');
  outside = join(base, 'outside');
  mkdirSync(join(target, 'css'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret'), 'keep me');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('guest-sync-delete.sh under dash', () => {
  it('deletes the listed files, whatever their names hold, and nothing else', () => {
    const names = ['old.html', 'css/old.css', "it's $(touch pwned).txt", '-rf', 'a b'];
    for (const name of [...names, 'kept.html']) writeFileSync(join(target, name), 'x');
    const run = runUnderDash(script, [target], { input: nul(names), cwd: base });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('deleted=5 skipped=0\n');
    for (const name of names) expect(existsSync(join(target, name))).toBe(false);
    expect(existsSync(join(target, 'kept.html'))).toBe(true);
    expect(existsSync(join(base, 'pwned'))).toBe(false);
  });

  it('skips paths that leave the folder, through .. or a link, and what is not a file', () => {
    symlinkSync(outside, join(target, 'link'));
    symlinkSync(join(outside, 'secret'), join(target, 'file-link'));
    mkdirSync(join(target, 'sub'));
    const run = runUnderDash(script, [target], { input: nul(['../outside/secret', 'link/secret', '/etc/passwd', 'sub', 'gone.txt', 'file-link', 'css//x']) });
    expect(run.stdout).toBe('deleted=1 skipped=6\n');
    expect(existsSync(join(outside, 'secret'))).toBe(true);
    // A link is removed as a link: what it pointed at stays.
    expect(() => lstatSync(join(target, 'file-link'))).toThrow();
    expect(existsSync(join(target, 'sub'))).toBe(true);
  });

  it('deletes inside a folder reached through a link, as the guest folder itself may be one', () => {
    const linked = join(base, 'linked');
    symlinkSync(target, linked);
    writeFileSync(join(target, 'css', 'a.css'), 'x');
    expect(runUnderDash(script, [linked], { input: nul(['css/a.css']) }).stdout).toBe('deleted=1 skipped=0\n');
  });

  it('deletes a folder’s files in batches, folder after folder, as the sorted plan gives them', () => {
    mkdirSync(join(target, 'big'));
    const paths = [...Array.from({ length: 600 }, (_, i) => `big/f${String(i).padStart(3, '0')}`), 'css/a.css', 'top.txt'];
    for (const p of paths) writeFileSync(join(target, p), 'x');
    writeFileSync(join(target, 'big', 'kept'), 'x');
    const run = runUnderDash(script, [target], { input: nul([...paths, 'css/missing.css']) });
    expect(run.stdout).toBe('deleted=602 skipped=1\n');
    expect(paths.some((p) => existsSync(join(target, p)))).toBe(false);
    expect(existsSync(join(target, 'big', 'kept'))).toBe(true);
  });

  it('exits 17 when the folder is not there, and does nothing on no input', () => {
    expect(runUnderDash(script, [join(base, 'missing')], { input: nul(['x']) }).status).toBe(17);
    expect(runUnderDash(script, [target], { input: '' }).stdout).toBe('deleted=0 skipped=0\n');
  });
});
