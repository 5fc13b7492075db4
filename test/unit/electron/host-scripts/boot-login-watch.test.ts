import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import watch from '../../../../electron/host-scripts/boot-login-watch.sh';
import { bootTimingOf } from '../../../../electron/metrics/boot-times';
import { runUnderDash } from '../../../support/host-script-harness';
import { makeTempDir } from '../../../support/temp-dir';

let root: { path: string; cleanup(): Promise<void> };
let sleeper: ReturnType<typeof spawn> | undefined;
beforeEach(async () => {
  root = await makeTempDir('firedeck-boot-watch-');
});
afterEach(async () => {
  sleeper?.kill('SIGKILL');
  await root.cleanup();
});

/** Waits (bounded) until config.json holds a boot timing. */
async function timingIn(dir: string, withinMs = 10_000) {
  const until = Date.now() + withinMs;
  for (;;) {
    const timing = bootTimingOf(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')));
    if (timing || Date.now() > until) return timing;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function runDir(withProcess: boolean) {
  const dir = join(root.path, 'vm');
  mkdirSync(dir);
  writeFileSync(join(dir, 'config.json'), '{"id":"vm","vcpus":1,"createdAt":"2026-01-01T00:00:00Z"}\n');
  writeFileSync(join(dir, 'console.log'), '[    0.000000] Linux version 6.1\n');
  if (withProcess) {
    sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    writeFileSync(join(dir, 'firecracker.pid'), `${sleeper.pid}\n`);
  }
  return dir;
}

describe('boot-login-watch.sh under dash', () => {
  it('counts the lag the app estimated before the watch began: a prompt already there reads as that lag, not 0 ms', async () => {
    const dir = runDir(true);
    appendFileSync(join(dir, 'console.log'), 'firedeck-guest login: ');
    runUnderDash(watch, [dir, 300, 30, 42]);
    const timing = await timingIn(dir);
    expect(timing).toMatchObject({ createToStartMs: 300 });
    expect(timing!.startToLoginMs).toBeGreaterThanOrEqual(42);
  });

  it('returns at once, then records both figures when the guest prints its login prompt', async () => {
    const dir = runDir(true);
    const run = runUnderDash(watch, [dir, 1234, 30]);
    expect(run).toMatchObject({ status: 0, stdout: '' });
    expect(bootTimingOf(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')))).toBeNull();
    appendFileSync(join(dir, 'console.log'), 'Ubuntu 22.04 firedeck-guest ttyS0\n\nfiredeck-guest login: ');
    const timing = await timingIn(dir);
    expect(timing).toMatchObject({ createToStartMs: 1234 });
    expect(timing!.startToLoginMs).toBeGreaterThanOrEqual(0);
    // The rest of the config is kept.
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toMatchObject({ id: 'vm', vcpus: 1 });
  });

  it('records no login figure when the VM’s process dies first, or at once with a zero timeout (a restore)', async () => {
    const dir = runDir(true);
    runUnderDash(watch, [dir, 50, 30]);
    sleeper!.kill('SIGKILL');
    expect(await timingIn(dir)).toEqual({ createToStartMs: 50, startToLoginMs: null });
    const restored = join(root.path, 'restored');
    mkdirSync(restored);
    writeFileSync(join(restored, 'config.json'), '{"id":"restored"}\n');
    runUnderDash(watch, [restored, 70, 0, 0, 'restore']);
    expect(await timingIn(restored)).toEqual({ createToStartMs: 70, startToLoginMs: null, restored: true });
  });

  it('exits 3 for a directory without config.json', () => {
    expect(runUnderDash(watch, [join(root.path, 'missing'), 1, 1]).status).toBe(3);
  });
});
