import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/upload-receive.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { onlyTools } from './tool-path';
import { scratchDir } from '../../../support/temp-dir';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const TEMP = 'ws/.a.bin.1234.part';

/** A home of its own and what the sender puts on stdin: the bytes, then the digest it computed while reading them. */
function receive(data: Buffer, options: { digest?: string; size?: number; standIns?: Record<string, string>; path: string; tempIs?: string }) {
  const home = scratchDir('fd-recv-');
  if (options.tempIs) {
    mkdirSync(join(home, 'ws'));
    symlinkSync(options.tempIs, join(home, TEMP));
  }
  const input = Buffer.concat([data, Buffer.from(`${options.digest ?? sha256(data)}\n`)]);
  const run = runUnderDash(script, ['ws/a.bin', TEMP, options.size ?? data.length], {
    input,
    env: { HOME: home, PATH: options.path },
    ...(options.standIns ? { standIns: options.standIns } : {}),
  });
  const left = existsSync(join(home, 'ws')) ? readdirSync(join(home, 'ws')) : [];
  return { ...run, home, left, dest: join(home, 'ws', 'a.bin') };
}

const SHELL_TOOLS = ['mkdir', 'dirname', 'rm', 'mv'];
// The system's python3 (Debian's python3-minimal), not a user's shim that needs its own environment.
const receivers = {
  python3: () => onlyTools('/usr/bin/python3', ...SHELL_TOOLS),
  'head | tee | openssl': () => onlyTools('openssl', 'head', 'tee', 'cut', 'wc', ...SHELL_TOOLS),
  'head | tee | sha256sum': () => onlyTools('sha256sum', 'head', 'tee', 'cut', 'wc', ...SHELL_TOOLS),
};

describe.each(Object.entries(receivers))('upload-receive.sh under dash, receiving with %s', (_name, tools) => {
  const data = randomBytes(3 * 1024 * 1024 + 7); // more than one of python's 1 MiB blocks

  it('writes the bytes, checks the sender’s SHA-256 against the bytes written, and renames the file, private to the user', () => {
    const run = receive(data, { path: tools() });
    expect(run.status).toBe(0);
    expect(readFileSync(run.dest).equals(data)).toBe(true);
    expect(run.stdout).toBe(`path=${run.dest}\nsha256=${sha256(data)}\n`);
    expect(statSync(run.dest).mode & 0o777).toBe(0o600);
    expect(run.left).toEqual(['a.bin']);
  });

  it('takes an empty file', () => {
    const run = receive(Buffer.alloc(0), { path: tools() });
    expect(run.status).toBe(0);
    expect(readFileSync(run.dest).length).toBe(0);
  });

  it('refuses a digest that does not match, and keeps nothing', () => {
    const run = receive(data, { digest: sha256('something else'), path: tools() });
    expect(run.status).toBe(6);
    expect(run.stdout).toContain(`sha256=${sha256(data)}\n`);
    expect(run.left).toEqual([]);
  });

  it('exits 5 and keeps nothing when fewer bytes arrive than announced (a cancelled upload)', () => {
    const run = receive(data.subarray(0, 1000), { size: data.length, digest: '', path: tools() });
    expect(run.status).toBe(5);
    expect(run.left).toEqual([]);
  });

  it('exits 3 and keeps nothing when the file cannot be written whole (a full disk)', () => {
    const run = receive(data, { path: tools(), tempIs: '/dev/full' });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain('No space left');
    expect(run.left).toEqual([]);
  });
});

describe('upload-receive.sh under dash, without python3', () => {
  const data = randomBytes(300 * 1024 + 7);

  it('hashes the bytes as tee writes them: a write that changes them is caught, and nothing is kept', () => {
    // A stand-in tee that corrupts every byte on its way to the file (as a failing disk or a
    // broken pipe would): the host's digest must be that of the corrupted bytes, not of what was sent.
    const run = receive(data, { path: onlyTools('openssl', 'head', 'tee', 'tr', 'cut', 'wc', ...SHELL_TOOLS), standIns: { tee: `tr '\\000-\\377' '\\001-\\377\\000' | ${systemTool('tee')} "$@"` } });
    expect(run.status).toBe(6);
    const corrupted = Buffer.from(data.map((b) => (b + 1) & 0xff));
    expect(run.stdout).toContain(`sha256=${sha256(corrupted)}\n`);
    expect(run.left).toEqual([]);
  });

  it('exits 4 before reading anything on a host with neither python3, openssl nor sha256sum', () => {
    expect(receive(data, { path: onlyTools('head', 'tee', 'cut', 'mkdir', 'dirname') }).status).toBe(4);
  });
});

function systemTool(name: string): string {
  for (const dir of ['/usr/bin', '/bin']) if (existsSync(join(dir, name))) return join(dir, name);
  throw new Error(`no ${name} on this machine`);
}
