import { appendFileSync, createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import prepare from '../../../../electron/host-scripts/vm-prepare.sh';
import script from '../../../../electron/host-scripts/vm-console.sh';
import { vmPaths } from '../../../../electron/vms/vm-paths';
import type { VmPaths } from '../../../../electron/vms/vm-paths';
import { spawnUnderDash, until } from '../../../support/dash-stream';
import type { DashStream } from '../../../support/dash-stream';
import { runUnderDash } from '../../../support/host-script-harness';

let home: string;
let paths: VmPaths;
let stream: DashStream | undefined;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'firedeck-console-'));
  paths = vmPaths(home, 'vm-c');
  expect(runUnderDash(prepare, [paths.dir, '{}']).status).toBe(0);
});
afterEach(() => {
  stream?.cleanup();
  stream = undefined;
  rmSync(home, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('vm-console.sh under dash', () => {
  it('prints the marker, then the log from OFFSET on as it grows, and sends input to the FIFO', async () => {
    appendFileSync(paths.log, 'boot line 1\nboot line 2\n');
    stream = spawnUnderDash(script, [paths.dir, 13, 'MARK']);
    await stream.waitFor('boot line 2\n');
    expect(stream.stdout().toString()).toBe('MARK\n@from 13\nboot line 2\n'); // byte 13 is where line 2 starts
    appendFileSync(paths.log, 'login: ');
    await stream.waitFor('login: ');

    // What Firecracker would read as the guest's keyboard.
    const fifo = createReadStream(paths.fifo);
    let typed = '';
    fifo.on('data', (chunk) => (typed += chunk.toString()));
    stream.child.stdin.write('root\n');
    await until(() => typed === 'root\n', 'the typed line reaching the FIFO');
    fifo.destroy();
  });

  it('counts OFFSET across rotations: after a rotation it starts where console.log now holds that byte, or at its start when that part is gone, and says so', async () => {
    // console-watch.sh cut 100 bytes away: console.log's first byte is byte 101 of the console.
    writeFileSync(paths.log, 'after rotation\n');
    writeFileSync(join(paths.dir, 'console.rotated'), '100\n');
    stream = spawnUnderDash(script, [paths.dir, 107, 'MARK']);
    await stream.waitFor('rotation\n');
    expect(stream.stdout().toString()).toBe('MARK\n@from 107\nrotation\n');
    stream.child.stdin.end();
    await stream.exited;
    stream = spawnUnderDash(script, [paths.dir, 1, 'MARK']);
    await stream.waitFor('after rotation\n');
    expect(stream.stdout().toString()).toBe('MARK\n@from 101\nafter rotation\n');
    // A truncation while streaming: what comes after it still streams.
    writeFileSync(paths.log, '');
    appendFileSync(paths.log, 'new start\n');
    await stream.waitFor('new start\n');
  });

  it('ends tail and cat with the channel (its EOF): nothing outlives it', async () => {
    stream = spawnUnderDash(script, [paths.dir, 1, 'MARK']);
    await stream.waitFor('MARK\n');
    let tree: number[] = [];
    await until(() => (tree = stream!.tree()).length >= 3, 'the shell, tail and cat running');
    stream.child.stdin.end();
    expect(await stream.exited).toBe(0);
    await until(() => tree.every((pid) => !alive(pid)), 'every process of the console gone');
  });

  it('exits 3 when the run directory is gone', async () => {
    stream = spawnUnderDash(script, [join(home, 'vms', 'missing'), 1, 'MARK']);
    expect(await stream.exited).toBe(3);
    expect(stream.stdout().toString()).toBe('');
  });
});
