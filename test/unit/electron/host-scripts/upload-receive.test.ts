import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/upload-receive.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { onlyTools } from './tool-path';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** A home of its own and what the sender puts on stdin: the bytes, then the digest it computed while reading them. */
function receive(data: Buffer, options: { digest?: string; size?: number; standIns?: Record<string, string>; path?: string } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'fd-recv-'));
  const input = Buffer.concat([data, Buffer.from(`${options.digest ?? sha256(data)}\n`)]);
  const run = runUnderDash(script, ['ws/a.bin', 'ws/.a.bin.1234.part', options.size ?? data.length], {
    input,
    env: { HOME: home, ...(options.path ? { PATH: options.path } : {}) },
    ...(options.standIns ? { standIns: options.standIns } : {}),
  });
  const left = existsSync(join(home, 'ws')) ? readdirSync(join(home, 'ws')) : [];
  return { ...run, home, left, dest: join(home, 'ws', 'a.bin') };
}

describe('upload-receive.sh under dash', () => {
  const data = randomBytes(300 * 1024 + 7);

  it('writes the bytes, checks the sender’s SHA-256 against the bytes written, and renames the file, private to the user', () => {
    const run = receive(data);
    expect(run.status).toBe(0);
    expect(readFileSync(run.dest).equals(data)).toBe(true);
    expect(run.stdout).toBe(`path=${run.dest}\nsha256=${sha256(data)}\n`);
    expect(statSync(run.dest).mode & 0o777).toBe(0o600);
    expect(run.left).toEqual(['a.bin']);
  });

  it('hashes with sha256sum where openssl is missing', () => {
    const run = receive(data, { path: onlyTools('sha256sum', 'head', 'tee', 'cut', 'mkdir', 'dirname', 'wc', 'rm', 'mv') });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`sha256=${sha256(data)}\n`);
  });

  it('hashes the bytes as they are written on the host: a write that changes them is caught, and nothing is kept', () => {
    // A stand-in tee that corrupts every byte on its way to the file (as a failing disk or a
    // broken pipe would): the host's digest must be that of the corrupted bytes, not of what was sent.
    const run = receive(data, { standIns: { tee: `tr '\\000-\\377' '\\001-\\377\\000' | ${teePath()} "$@"` } });
    expect(run.status).toBe(6);
    const corrupted = Buffer.from(data.map((b) => (b + 1) & 0xff));
    expect(run.stdout).toContain(`sha256=${sha256(corrupted)}\n`);
    expect(run.left).toEqual([]);
  });

  it('refuses a digest that does not match, and keeps nothing', () => {
    const run = receive(data, { digest: sha256('something else') });
    expect(run.status).toBe(6);
    expect(run.stdout).toContain(`sha256=${sha256(data)}\n`);
    expect(run.left).toEqual([]);
  });

  it('exits 5 and keeps nothing when fewer bytes arrive than announced (a cancelled upload)', () => {
    const run = receive(data.subarray(0, 1000), { size: data.length, digest: '' });
    expect(run.status).toBe(5);
    expect(run.left).toEqual([]);
  });

  it('exits 3 and keeps nothing when the file cannot be written whole', () => {
    const run = receive(data, { standIns: { tee: 'cat >/dev/null; echo "tee: write error: No space left on device" >&2; exit 1' } });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('No space left');
    expect(run.left).toEqual([]);
  });

  it('exits 4 before reading anything on a host with neither openssl nor sha256sum', () => {
    expect(receive(data, { path: onlyTools('head', 'tee', 'cut', 'mkdir', 'dirname') }).status).toBe(4);
  });
});

function teePath(): string {
  for (const dir of ['/usr/bin', '/bin']) if (existsSync(join(dir, 'tee'))) return join(dir, 'tee');
  throw new Error('no tee on this machine');
}
