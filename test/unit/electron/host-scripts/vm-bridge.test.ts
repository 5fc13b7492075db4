import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/vm-bridge.sh';
import { runUnderDash } from '../../../support/host-script-harness';

let dir: string;
let started: number | undefined;
beforeEach(() => {
  dir = join(mkdtempSync(join(tmpdir(), 'firedeck-bridge-')), 'vm-b');
  mkdirSync(dir);
});
afterEach(() => {
  if (started) {
    try {
      process.kill(started, 'SIGKILL');
    } catch {
      // gone
    }
  }
  started = undefined;
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

// A stand-in socat: says it listens in the log file given with -lf (its third argument), as socat -d -d does.
const listeningSocat = `printf '%s\\n' "$*" > socat.args\nprintf '2025/01/01 00:00:00 socat[1] N listening on AF=2 0.0.0.0:%s\\n' 1 >> "$4"\nexec /bin/sleep 30`;

describe('vm-bridge.sh under dash', () => {
  it('starts socat on every address, relative to the run directory, and records its pid and port once it listens', () => {
    const run = runUnderDash(script, [dir, 40123], { standIns: { socat: listeningSocat } });
    expect(run.status).toBe(0);
    started = Number(readFileSync(join(dir, 'bridge.pid'), 'utf8'));
    expect(readFileSync(join(dir, 'bridge.port'), 'utf8')).toBe('40123\n');
    expect(readFileSync(join(dir, 'socat.args'), 'utf8').trim()).toBe('-d -d -lf bridge.log TCP-LISTEN:40123,bind=0.0.0.0,fork,reuseaddr UNIX-CONNECT:api.sock');
  });

  it('exits 5 when socat cannot listen (the port is taken)', () => {
    const run = runUnderDash(script, [dir, 40124], { standIns: { socat: 'echo "E bind: Address already in use" >&2; exit 1' } });
    expect(run.status).toBe(5);
  });

  it('exits 6 when socat is not installed', () => {
    const onlyDash = join(dir, '..', 'bin');
    mkdirSync(onlyDash);
    symlinkSync('/usr/bin/dash', join(onlyDash, 'dash'));
    expect(runUnderDash(script, [dir, 40125], { env: { PATH: onlyDash } }).status).toBe(6);
  });
});
