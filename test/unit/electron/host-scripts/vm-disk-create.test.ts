import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/vm-disk-create.sh';
import { parseDiscovery } from '../../../../electron/vms/vm-discovery';
import discoverScript from '../../../../electron/host-scripts/vm-discover.sh';
import { runUnderDash } from '../../../support/host-script-harness';

const root = mkdtempSync(join(tmpdir(), 'firedeck-disk-'));
const image = join(root, 'rootfs-test.ext4');
let sha: string;
const MiB = 1024 * 1024;
const sbin = { PATH: `${process.env.PATH}:/usr/sbin:/sbin` };

beforeAll(() => {
  execFileSync('/usr/sbin/mkfs.ext4', ['-q', '-F', '-L', 'test', image, '16M'], { env: { ...process.env, ...sbin } });
  chmodSync(image, 0o444); // the image is only ever read
  sha = createHash('sha256').update(readFileSync(image)).digest('hex');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function runDir(name: string): string {
  const dir = join(root, 'vms', name);
  mkdirSync(dir, { recursive: true });
  return dir;
}
const blocksOf = (path: string) => Number(execFileSync('/usr/sbin/dumpe2fs', ['-h', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).match(/Block count:\s+(\d+)/)![1]);

describe('vm-disk-create.sh under dash', () => {
  it('copies the image into the run directory at its own size, leaves the image as it was, and records the disk', () => {
    const dir = runDir('same');
    const run = runUnderDash(script, [dir, image, 0]);
    expect(run).toMatchObject({ status: 0, stdout: `${sha} ${16 * MiB}\n` });
    expect(createHash('sha256').update(readFileSync(join(dir, 'rootfs.ext4'))).digest('hex')).toBe(sha);
    expect(statSync(join(dir, 'rootfs.ext4')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'disk'), 'utf8')).toBe(`${sha} ${16 * MiB}\n`);
    expect(existsSync(join(dir, 'rootfs.ext4.part'))).toBe(false);
    // discovery reports it
    writeFileSync(join(dir, 'config.json'), '{"rootfs":"/x"}\n');
    expect(parseDiscovery(runUnderDash(discoverScript, [join(root, 'vms')]).stdout).find((vm) => vm.id === 'same')?.disk).toEqual({ imageSha256: sha, bytes: 16 * MiB });
  });

  it('grows the copy and its ext4 to a larger size; the image keeps its size and checksum', () => {
    const dir = runDir('grown');
    writeFileSync(`${image}.sha256`, `${sha}\n`);
    const run = runUnderDash(script, [dir, image, 64 * MiB]);
    expect(run.status).toBe(0);
    expect(statSync(join(dir, 'rootfs.ext4')).size).toBe(64 * MiB);
    expect(blocksOf(join(dir, 'rootfs.ext4')) * 1024).toBeGreaterThanOrEqual(60 * MiB);
    expect(statSync(image).size).toBe(16 * MiB);
    expect(createHash('sha256').update(readFileSync(image)).digest('hex')).toBe(sha);
    rmSync(`${image}.sha256`);
  });

  it('refuses an image whose recorded checksum does not match (exit 4, both sums), leaving no disk', () => {
    const dir = runDir('tampered');
    writeFileSync(`${image}.sha256`, `${'0'.repeat(64)}\n`);
    const run = runUnderDash(script, [dir, image, 0]);
    rmSync(`${image}.sha256`);
    expect(run).toMatchObject({ status: 4, stdout: `${'0'.repeat(64)} ${sha}\n` });
    expect(existsSync(join(dir, 'rootfs.ext4'))).toBe(false);
  });

  it('hashes an image once while it is unchanged, and again (refusing it) once it was written', () => {
    const copy = join(root, 'rootfs-memo.ext4');
    writeFileSync(copy, readFileSync(image));
    writeFileSync(`${copy}.sha256`, `${sha}\n`);
    expect(runUnderDash(script, [runDir('memo-1'), copy, 0]).status).toBe(0);
    expect(existsSync(join(root, '.rootfs-memo.ext4.checked'))).toBe(true);
    // Unchanged: no hash at all (a sha256sum that fails would stop the create).
    expect(runUnderDash(script, [runDir('memo-2'), copy, 0], { standIns: { sha256sum: 'exit 1' } })).toMatchObject({ status: 0, stdout: `${sha} ${16 * MiB}\n` });
    // Written (even with its mtime put back): hashed again, and refused.
    const before = statSync(copy);
    const bytes = readFileSync(copy);
    bytes[2000] = 0x42;
    writeFileSync(copy, bytes);
    execFileSync('touch', ['-d', before.mtime.toISOString(), copy]);
    expect(runUnderDash(script, [runDir('memo-3'), copy, 0]).status).toBe(4);
  });

  it('refuses when the host has less free disk than the disk may grow to (exit 5, the figures)', () => {
    const dir = runDir('short');
    const run = runUnderDash(script, [dir, image, 64 * MiB], {
      standIns: { df: "printf 'Filesystem 1024-blocks Used Available Capacity Mounted on\\n/dev/x 100000 90000 10000 90%% /\\n'" },
    });
    expect(run).toMatchObject({ status: 5, stdout: `${64 * 1024} 10000\n` });
    expect(existsSync(join(dir, 'rootfs.ext4'))).toBe(false);
  });

  it('names a missing image (3), a size below the image (6), a failed copy (7) and a failed grow (8), leaving no half disk', () => {
    expect(runUnderDash(script, [runDir('missing'), join(root, 'nope.ext4'), 0]).status).toBe(3);
    expect(runUnderDash(script, [runDir('small'), image, MiB])).toMatchObject({ status: 6, stdout: `${16 * MiB}\n` });
    const failedCopy = runDir('copy');
    expect(runUnderDash(script, [failedCopy, image, 0], { standIns: { cp: 'exit 1' } }).status).toBe(7);
    expect(existsSync(join(failedCopy, 'rootfs.ext4.part'))).toBe(false);
    const notExt4 = join(root, 'zeros.ext4');
    writeFileSync(notExt4, Buffer.alloc(MiB));
    const failedGrow = runDir('grow');
    const grow = runUnderDash(script, [failedGrow, notExt4, 2 * MiB]);
    expect(grow.status).toBe(8);
    expect(grow.stdout).not.toBe('');
    expect(existsSync(join(failedGrow, 'rootfs.ext4'))).toBe(false);
    expect(existsSync(join(failedGrow, 'rootfs.ext4.part'))).toBe(false);
  });
});
