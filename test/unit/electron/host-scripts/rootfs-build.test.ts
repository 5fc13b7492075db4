import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/rootfs-build.sh';
import unpack from '../../../../electron/host-scripts/rootfs-unpack.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

/** An image folder holding a downloaded squashfs (a small real one, or bytes that are none). */
function imageDir(valid = true) {
  const dir = scratchDir('fd-rootfs-');
  if (valid) {
    const tree = join(dir, 'src');
    mkdirSync(join(tree, 'etc'), { recursive: true });
    writeFileSync(join(tree, 'etc', 'hostname'), 'guest\n');
    execFileSync('mksquashfs', [tree, join(dir, '.u.squashfs.dl'), '-quiet', '-noappend']);
    execFileSync('rm', ['-rf', tree]);
  } else {
    writeFileSync(join(dir, '.u.squashfs.dl'), 'not a squashfs');
  }
  return dir;
}
const build = (dir: string, mode: string, standIns: Record<string, string> = {}) =>
  runUnderDash(script, [dir, '.u.squashfs.dl', 'rootfs-u.ext4', 'ssh-ed25519 AAAA guest', mode, unpack], { standIns });

describe('rootfs-build.sh under dash', () => {
  it.each([
    ['root', {}],
    ['fakeroot', {}],
    // A sudo stand-in that runs the command as this (root) user.
    ['sudo', { sudo: '[ "$1" = -n ] && shift; exec "$@"' }],
  ])('builds the ext4 in %s mode, checksums it, and leaves only it', { timeout: 60_000 }, (mode, standIns) => {
    const dir = imageDir();
    const run = build(dir, mode, standIns);
    expect(run).toMatchObject({ status: 0 });
    expect(readdirSync(dir).sort()).toEqual(['rootfs-u.ext4', 'rootfs-u.ext4.sha256']);
    const image = join(dir, 'rootfs-u.ext4');
    expect(readFileSync(`${image}.sha256`, 'utf8').trim()).toBe(createHash('sha256').update(readFileSync(image)).digest('hex'));
    expect(execFileSync('/usr/sbin/debugfs', ['-R', 'cat /root/.ssh/authorized_keys', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })).toBe('ssh-ed25519 AAAA guest\n');
  });

  it('exits 11 with unsquashfs’s message for a squashfs it cannot unpack, and leaves nothing', () => {
    const dir = imageDir(false);
    const run = build(dir, 'root');
    expect(run.status).toBe(11);
    expect(run.stderr).toContain('SQUASHFS superblock');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('exits 12 with mkfs.ext4’s message when the image cannot be made, and leaves nothing', { timeout: 30_000 }, () => {
    const dir = imageDir();
    const run = build(dir, 'root', { 'mkfs.ext4': 'echo "mkfs.ext4: No space left on device" >&2; exit 1' });
    expect(run.status).toBe(12);
    expect(run.stderr).toContain('No space left on device');
    expect(readdirSync(dir)).toEqual([]);
  });
});
