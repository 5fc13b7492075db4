import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import repair from '../../../../electron/host-scripts/firedeck-dir-repair.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { makeTempDir } from '../../../support/temp-dir';

let temp: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  temp = await makeTempDir('firedeck-repair-');
});
afterEach(() => temp.cleanup());

const mode = (path: string) => (statSync(path).mode & 0o7777).toString(8).padStart(4, '0');

/** A ~/.firedeck as an older Firedeck left it: everything readable by every local user. */
function worldReadableTree(home: string) {
  const fd = join(home, '.firedeck');
  for (const dir of ['bin', 'images/x86_64', 'vms/a/snapshots/s1']) mkdirSync(join(fd, dir), { recursive: true, mode: 0o755 });
  const files: Record<string, number> = {
    'bin/firecracker': 0o755,
    'bin/README': 0o644,
    'images/x86_64/vmlinux-6.1': 0o644,
    'vms/a/console.log': 0o666,
    'vms/a/run.sh': 0o755,
    'vms/a/snapshots/s1/mem': 0o644,
  };
  for (const [file, m] of Object.entries(files)) {
    writeFileSync(join(fd, file), 'x');
    chmodSync(join(fd, file), m);
  }
  execFileSync('mkfifo', ['-m', '666', join(fd, 'vms/a/console.in')]);
  for (const dir of ['', 'bin', 'images', 'images/x86_64', 'vms', 'vms/a', 'vms/a/snapshots', 'vms/a/snapshots/s1']) chmodSync(join(fd, dir), 0o755);
  return fd;
}

describe('firedeck-dir-repair.sh under dash', () => {
  it('makes folders 0700, files 0600, binaries 0700 and the console FIFO 0600', () => {
    const fd = worldReadableTree(temp.path);
    const run = runUnderDash(repair, [], { env: { HOME: temp.path } });
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(['', 'bin', 'images/x86_64', 'vms/a', 'vms/a/snapshots/s1'].map((d) => mode(join(fd, d)))).toEqual(Array(5).fill('0700'));
    expect(mode(join(fd, 'bin/firecracker'))).toBe('0700');
    expect(mode(join(fd, 'bin/README'))).toBe('0600');
    expect(mode(join(fd, 'images/x86_64/vmlinux-6.1'))).toBe('0600');
    expect(mode(join(fd, 'vms/a/console.log'))).toBe('0600');
    expect(mode(join(fd, 'vms/a/run.sh'))).toBe('0600'); // only bin/ keeps an x bit
    expect(mode(join(fd, 'vms/a/snapshots/s1/mem'))).toBe('0600');
    expect(mode(join(fd, 'vms/a/console.in'))).toBe('0600');
  });

  it('leaves what a symbolic link points at alone', () => {
    const fd = worldReadableTree(temp.path);
    const outside = join(temp.path, 'shared.txt');
    writeFileSync(outside, 'not Firedeck’s');
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(fd, 'vms/a/link'));
    expect(runUnderDash(repair, [], { env: { HOME: temp.path } }).status).toBe(0);
    expect(mode(outside)).toBe('0644');
  });

  it('does nothing where there is no ~/.firedeck, or it is a link', () => {
    expect(runUnderDash(repair, [], { env: { HOME: temp.path } })).toMatchObject({ status: 0, stdout: '', stderr: '' });
    mkdirSync(join(temp.path, 'elsewhere'), { mode: 0o755 });
    chmodSync(join(temp.path, 'elsewhere'), 0o755);
    symlinkSync(join(temp.path, 'elsewhere'), join(temp.path, '.firedeck'));
    expect(runUnderDash(repair, [], { env: { HOME: temp.path } }).status).toBe(0);
    expect(mode(join(temp.path, 'elsewhere'))).toBe('0755');
  });

  it('exits 3 (partial) when an entry cannot be changed', () => {
    worldReadableTree(temp.path);
    const run = runUnderDash(repair, [], { env: { HOME: temp.path }, standIns: { chmod: 'echo "chmod: changing permissions of $2: Operation not permitted" >&2; exit 1' } });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('Operation not permitted');
  });

  it('changes nothing on a tree that is already private', () => {
    worldReadableTree(temp.path);
    runUnderDash(repair, [], { env: { HOME: temp.path } });
    const again = runUnderDash(repair, [], { env: { HOME: temp.path }, standIns: { chmod: 'echo "chmod $*" >&2; exit 1' } });
    expect(again).toMatchObject({ status: 0, stderr: '' });
  });
});
