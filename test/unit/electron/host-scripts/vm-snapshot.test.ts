import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import snapshotDelete from '../../../../electron/host-scripts/vm-snapshot-delete.sh';
import snapshotDir from '../../../../electron/host-scripts/vm-snapshot-dir.sh';
import snapshotDiskRestore from '../../../../electron/host-scripts/vm-snapshot-disk-restore.sh';
import snapshotDisk from '../../../../electron/host-scripts/vm-snapshot-disk.sh';
import snapshotSource from '../../../../electron/host-scripts/vm-snapshot-source.sh';
import snapshotsList from '../../../../electron/host-scripts/vm-snapshots-list.sh';
import { runUnderDash } from '../../../support/host-script-harness';

const root = mkdtempSync(join(tmpdir(), 'firedeck-snapshot-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A run directory with its own disk, and snapshot NAME's memory and state as Firecracker writes them. */
function vmWithSnapshot(id: string, name: string, disk = 'disk-at-snapshot'): string {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'rootfs.ext4'), disk);
  writeFileSync(join(dir, 'disk'), `${'a'.repeat(64)} 1048576\n`);
  writeFileSync(join(dir, 'config.json'), '{"vcpus":1}\n');
  expect(runUnderDash(snapshotDir, [dir, name]).status).toBe(0);
  writeFileSync(join(dir, 'snapshots', name, 'state'), 'state');
  writeFileSync(join(dir, 'snapshots', name, 'mem'), 'memory');
  return dir;
}

describe('vm-snapshot-dir.sh under dash', () => {
  it('makes the named snapshot folder private (a memory snapshot holds the guest’s RAM), and exits 17 for a name taken', () => {
    const dir = join(root, 'vm-1');
    mkdirSync(dir);
    expect(runUnderDash(snapshotDir, [dir, 'first']).status).toBe(0);
    expect(statSync(join(dir, 'snapshots')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'snapshots', 'first')).mode & 0o777).toBe(0o700);
    expect(runUnderDash(snapshotDir, [dir, 'first']).status).toBe(17);
  });
});

describe('vm-snapshot-disk.sh, vm-snapshots-list.sh and vm-snapshot-delete.sh under dash', () => {
  it('keeps a copy of the disk and its facts with the snapshot, and lists only complete snapshots', () => {
    const dir = vmWithSnapshot('vm-2', 'before-upgrade');
    const done = runUnderDash(snapshotDisk, [dir, 'before-upgrade', '2026-12-02T04:00:00.000Z']);
    expect(done.status).toBe(0);
    expect(Number(done.stdout.trim())).toBeGreaterThan(0);
    // The VM's disk moves on; the snapshot's copy does not.
    writeFileSync(join(dir, 'rootfs.ext4'), 'disk-later');
    expect(readFileSync(join(dir, 'snapshots', 'before-upgrade', 'rootfs.ext4'), 'utf8')).toBe('disk-at-snapshot');
    expect(readFileSync(join(dir, 'snapshots', 'before-upgrade', 'disk'), 'utf8')).toContain('1048576');
    // One whose memory was never written is not listed.
    expect(runUnderDash(snapshotDir, [dir, 'half']).status).toBe(0);
    const listed = runUnderDash(snapshotsList, [dir]);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(/^before-upgrade\t2026-12-02T04:00:00.000Z\t\d+\tyes\n$/);
    expect(runUnderDash(snapshotDisk, [dir, 'half', 'x']).status).toBe(4);
  });

  it('deletes one snapshot, leaving the others and the VM; exits 4 for one that is not there', () => {
    const dir = vmWithSnapshot('vm-3', 'one');
    expect(runUnderDash(snapshotDisk, [dir, 'one', '2026-12-02T04:00:00.000Z']).status).toBe(0);
    expect(runUnderDash(snapshotDir, [dir, 'two']).status).toBe(0);
    expect(runUnderDash(snapshotDelete, [dir, 'one']).status).toBe(0);
    expect(existsSync(join(dir, 'snapshots', 'one'))).toBe(false);
    expect(existsSync(join(dir, 'snapshots', 'two'))).toBe(true);
    expect(existsSync(join(dir, 'rootfs.ext4'))).toBe(true);
    expect(runUnderDash(snapshotDelete, [dir, 'one']).status).toBe(4);
  });

  it('lists nothing for a VM without snapshots', () => {
    const dir = join(root, 'vm-none');
    mkdirSync(dir);
    expect(runUnderDash(snapshotsList, [dir])).toMatchObject({ status: 0, stdout: '' });
  });
});

describe('vm-snapshot-disk-restore.sh under dash', () => {
  it('gives a new run directory its own copy of the snapshot’s disk, and can do it again (the snapshot keeps its copy)', () => {
    const dir = vmWithSnapshot('vm-4', 's');
    expect(runUnderDash(snapshotDisk, [dir, 's', 't']).status).toBe(0);
    const clone = join(root, 'vm-4-clone');
    mkdirSync(clone);
    expect(runUnderDash(snapshotDiskRestore, [dir, 's', clone]).status).toBe(0);
    expect(readFileSync(join(clone, 'rootfs.ext4'), 'utf8')).toBe('disk-at-snapshot');
    expect(statSync(join(clone, 'rootfs.ext4')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(clone, 'disk'), 'utf8')).toContain('1048576');
    // Roll back: the VM's own disk replaced.
    writeFileSync(join(dir, 'rootfs.ext4'), 'disk-later');
    expect(runUnderDash(snapshotDiskRestore, [dir, 's', dir]).status).toBe(0);
    expect(readFileSync(join(dir, 'rootfs.ext4'), 'utf8')).toBe('disk-at-snapshot');
    expect(existsSync(join(dir, 'snapshots', 's', 'rootfs.ext4'))).toBe(true);
  });

  it('exits 4 for a snapshot without a disk copy and 7 when the copy fails, leaving the target’s disk as it was', () => {
    const dir = join(root, 'vm-5');
    mkdirSync(join(dir, 'snapshots', 'old'), { recursive: true });
    expect(runUnderDash(snapshotDiskRestore, [dir, 'old', dir]).status).toBe(4);
    const withDisk = vmWithSnapshot('vm-6', 's');
    expect(runUnderDash(snapshotDisk, [withDisk, 's', 't']).status).toBe(0);
    writeFileSync(join(withDisk, 'rootfs.ext4'), 'current');
    expect(runUnderDash(snapshotDiskRestore, [withDisk, 's', withDisk], { standIns: { cp: 'exit 1' } }).status).toBe(7);
    expect(readFileSync(join(withDisk, 'rootfs.ext4'), 'utf8')).toBe('current');
    expect(existsSync(join(withDisk, 'rootfs.ext4.part'))).toBe(false);
  });
});

describe('vm-snapshot-source.sh under dash', () => {
  const dir = join(root, 'vm-7');
  it('exits 3 without a config and 4 without a complete snapshot of that name', () => {
    mkdirSync(join(dir, 'snapshots', 'a'), { recursive: true });
    expect(runUnderDash(snapshotSource, [dir, 'a']).status).toBe(3);
    writeFileSync(join(dir, 'config.json'), '{"vcpus":1}\n');
    expect(runUnderDash(snapshotSource, [dir, 'a']).status).toBe(4);
    writeFileSync(join(dir, 'snapshots', 'a', 'state'), '');
    expect(runUnderDash(snapshotSource, [dir, 'a']).status).toBe(4);
  });

  it('prints the config of a VM with that snapshot', () => {
    writeFileSync(join(dir, 'snapshots', 'a', 'mem'), '');
    expect(runUnderDash(snapshotSource, [dir, 'a'])).toMatchObject({ status: 0, stdout: '{"vcpus":1}\n' });
    expect(runUnderDash(snapshotSource, [dir, 'b']).status).toBe(4);
  });
});
