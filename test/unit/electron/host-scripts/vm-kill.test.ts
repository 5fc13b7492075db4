import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/vm-kill.sh';
import { until } from '../../../support/dash-stream';
import { runUnderDash } from '../../../support/host-script-harness';
import { descendants } from '../../../support/process-tree';

let home: string;
let dir: string;
const children: ChildProcess[] = [];

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'firedeck-kill-'));
  dir = join(home, 'vms', 'vm-k');
  mkdirSync(dir, { recursive: true });
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

/** A process whose working directory is `cwd`, as Firecracker and the bridge are started. */
async function processIn(cwd: string): Promise<ChildProcess> {
  const child = spawn('sleep', ['30'], { cwd, stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  return child;
}
const gone = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

describe('vm-kill.sh under dash', () => {
  it('vm: kills Firecracker and the bridge of the run directory', async () => {
    const [firecracker, bridge] = [await processIn(dir), await processIn(dir)];
    writeFileSync(join(dir, 'firecracker.pid'), `${firecracker.pid}\n`);
    writeFileSync(join(dir, 'bridge.pid'), `${bridge.pid}\n`);
    writeFileSync(join(dir, 'bridge.port'), '40000\n');
    expect(runUnderDash(script, [dir, 'vm']).status).toBe(0);
    await Promise.all([gone(firecracker), gone(bridge)]);
    expect(existsSync(join(dir, 'bridge.port'))).toBe(false);
    expect(existsSync(join(dir, 'stopped'))).toBe(false);
  });

  it('delete: ends the boot-timing watcher first, so no late write of it recreates the directory', async () => {
    const [firecracker, watcher] = [await processIn(dir), await processIn(dir)];
    writeFileSync(join(dir, 'firecracker.pid'), `${firecracker.pid}\n`);
    writeFileSync(join(dir, 'boot-watch.pid'), `${watcher.pid}\n`);
    expect(runUnderDash(script, [dir, 'delete']).status).toBe(0);
    await Promise.all([gone(firecracker), gone(watcher)]);
    expect(existsSync(dir)).toBe(false);
  });

  it('intend-stop: marks the VM stopped and kills nothing (the guest is then asked to shut down)', async () => {
    const firecracker = await processIn(dir);
    writeFileSync(join(dir, 'firecracker.pid'), `${firecracker.pid}\n`);
    expect(runUnderDash(script, [dir, 'intend-stop']).status).toBe(0);
    expect(existsSync(join(dir, 'stopped'))).toBe(true);
    expect(alive(firecracker)).toBe(true);
  });

  it('kills the whole process group of a session leader: socat’s forked children go too', async () => {
    const bridge = spawn('setsid', ['sh', '-c', 'sleep 30 & sleep 30'], { cwd: dir, stdio: 'ignore' });
    children.push(bridge);
    let forks: number[] = [];
    await until(() => (forks = descendants(bridge.pid!)).length === 2, 'the leader and its two children');
    writeFileSync(join(dir, 'bridge.pid'), `${bridge.pid}\n`);
    expect(runUnderDash(script, [dir, 'bridge']).status).toBe(0);
    await gone(bridge);
    await until(() => forks.every((pid) => !existsSync(`/proc/${pid}/cwd`)), 'every child gone');
  });

  it('never kills a process that only has a recorded pid (pid reuse)', async () => {
    const stranger = await processIn(home);
    writeFileSync(join(dir, 'firecracker.pid'), `${stranger.pid}\n`);
    expect(runUnderDash(script, [dir, 'vm']).status).toBe(0);
    expect(alive(stranger)).toBe(true);
  });

  it('bridge: kills only the bridge', async () => {
    const [firecracker, bridge] = [await processIn(dir), await processIn(dir)];
    writeFileSync(join(dir, 'firecracker.pid'), `${firecracker.pid}\n`);
    writeFileSync(join(dir, 'bridge.pid'), `${bridge.pid}\n`);
    expect(runUnderDash(script, [dir, 'bridge']).status).toBe(0);
    await gone(bridge);
    expect(alive(firecracker)).toBe(true);
    expect(existsSync(join(dir, 'bridge.pid'))).toBe(false);
  });

  it('stop: leaves the stopped marker; delete: removes the directory', async () => {
    writeFileSync(join(dir, 'firecracker.pid'), `${(await processIn(dir)).pid}\n`);
    expect(runUnderDash(script, [dir, 'stop']).status).toBe(0);
    expect(existsSync(join(dir, 'stopped'))).toBe(true);
    expect(runUnderDash(script, [dir, 'delete']).status).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });

  it('exits 2 for anything else, killing nothing', async () => {
    const firecracker = await processIn(dir);
    writeFileSync(join(dir, 'firecracker.pid'), `${firecracker.pid}\n`);
    expect(runUnderDash(script, [dir, 'everything']).status).toBe(2);
    expect(alive(firecracker)).toBe(true);
  });
});
