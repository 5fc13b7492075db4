import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/firecracker-install.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

/** A home with a downloaded release tarball and its published checksum (or a wrong one). */
function home(published?: string) {
  const dir = scratchDir('fd-fc-');
  const release = join(dir, 'build', 'release-v1.12.0-x86_64');
  mkdirSync(release, { recursive: true });
  writeFileSync(join(release, 'firecracker-v1.12.0-x86_64'), '#!/bin/sh\necho fc\n');
  writeFileSync(join(release, 'jailer-v1.12.0-x86_64'), '#!/bin/sh\necho jailer\n');
  mkdirSync(join(dir, '.firedeck', 'downloads'), { recursive: true });
  const tarball = join(dir, '.firedeck', 'downloads', 'fc.tgz');
  execFileSync('tar', ['-czf', tarball, '-C', join(dir, 'build'), 'release-v1.12.0-x86_64']);
  const sum = published ?? createHash('sha256').update(readFileSync(tarball)).digest('hex');
  writeFileSync(`${tarball}.sha256.txt`, `${sum}  fc.tgz\n`);
  return dir;
}

describe('firecracker-install.sh under dash', () => {
  it('without sudo, installs both tools into ~/.firedeck/bin and prints where', () => {
    const dir = home();
    const run = runUnderDash(script, ['.firedeck/downloads/fc.tgz', 'v1.12.0', 'x86_64'], { env: { HOME: dir }, standIns: { sudo: 'exit 1' } });
    expect(run).toMatchObject({ status: 0, stdout: `${dir}/.firedeck/bin\n` });
    expect(readdirSync(join(dir, '.firedeck', 'bin')).sort()).toEqual(['firecracker', 'jailer']);
    expect(readdirSync(join(dir, '.firedeck', 'downloads')).filter((n) => n.startsWith('extract.'))).toEqual([]);
  });

  it('with sudo, installs through it into /usr/local/bin', () => {
    const dir = home();
    const log = join(dir, 'sudo.log');
    // The stand-in records what it was asked and does nothing (this machine's /usr/local/bin stays as it is).
    const run = runUnderDash(script, ['.firedeck/downloads/fc.tgz', 'v1.12.0', 'x86_64'], { env: { HOME: dir }, standIns: { sudo: `printf '%s\\n' "$*" >> '${log}'` } });
    expect(run).toMatchObject({ status: 0, stdout: '/usr/local/bin\n' });
    expect(readFileSync(log, 'utf8')).toContain('-n install -m 0755');
    expect(readFileSync(log, 'utf8')).toContain('/usr/local/bin/firecracker');
  });

  it('exits 3 on a checksum mismatch, deletes both files, and installs nothing', () => {
    const dir = home('0'.repeat(64));
    const run = runUnderDash(script, ['.firedeck/downloads/fc.tgz', 'v1.12.0', 'x86_64'], { env: { HOME: dir }, standIns: { sudo: 'exit 1' } });
    expect(run.status).toBe(3);
    expect(run.stdout).toMatch(/^published 0{64}, downloaded [0-9a-f]{64}\n$/);
    expect(readdirSync(join(dir, '.firedeck', 'downloads'))).toEqual([]);
    expect(existsSync(join(dir, '.firedeck', 'bin'))).toBe(false);
  });
});
