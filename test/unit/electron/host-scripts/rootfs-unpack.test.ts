import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/rootfs-unpack.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

describe('rootfs-unpack.sh under dash (as root)', () => {
  it('unpacks as it is, gives root /root/.ssh with the key, and makes the ext4', { timeout: 30_000 }, () => {
    const dir = scratchDir('fd-unpack-');
    mkdirSync(join(dir, 'src', 'home', 'guest'), { recursive: true });
    execFileSync('chown', ['4321:4321', join(dir, 'src', 'home', 'guest')]);
    execFileSync('mksquashfs', [join(dir, 'src'), join(dir, 's.squashfs'), '-quiet', '-noappend']);
    const run = runUnderDash(script, [join(dir, 'tree'), join(dir, 's.squashfs'), 'ssh-ed25519 AAAA k', join(dir, 'image')]);
    expect(run.status).toBe(0);
    expect(statSync(join(dir, 'tree', 'home', 'guest')).uid).toBe(4321);
    const keys = statSync(join(dir, 'tree', 'root', '.ssh', 'authorized_keys'));
    expect([keys.uid, keys.mode & 0o777]).toEqual([0, 0o600]);
    expect(existsSync(join(dir, 'image'))).toBe(true);
  });

  it('exits 11 when the squashfs cannot be unpacked, 12 when mkfs.ext4 fails, each with the tool’s words', { timeout: 30_000 }, () => {
    const dir = scratchDir('fd-unpack-');
    writeFileSync(join(dir, 'bad'), 'nope');
    const bad = runUnderDash(script, [join(dir, 'tree'), join(dir, 'bad'), 'k', join(dir, 'image')]);
    expect(bad.status).toBe(11);
    expect(bad.stderr).toContain('SQUASHFS superblock');
    mkdirSync(join(dir, 'src'));
    execFileSync('mksquashfs', [join(dir, 'src'), join(dir, 's.squashfs'), '-quiet', '-noappend']);
    const mkfs = runUnderDash(script, [join(dir, 'tree2'), join(dir, 's.squashfs'), 'k', join(dir, 'image')], { standIns: { 'mkfs.ext4': 'echo "mkfs.ext4: Device size reported to be zero" >&2; exit 1' } });
    expect(mkfs.status).toBe(12);
    expect(mkfs.stderr).toContain('Device size reported to be zero');
  });
});
