import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/console-watch.sh';
import discover from '../../../../electron/host-scripts/vm-discover.sh';
import { parseDiscovery } from '../../../../electron/vms/vm-discovery';
import { until } from '../../../support/dash-stream';
import { runUnderDash } from '../../../support/host-script-harness';

let vms: string;
let dir: string;
let vm: ChildProcess;
beforeEach(() => {
  vms = mkdtempSync(join(tmpdir(), 'firedeck-console-watch-'));
  dir = join(vms, 'chatty');
  // A stand-in Firecracker: a process whose pid is in firecracker.pid while it lives.
  vm = spawn('sleep', ['60']);
  mkdirSync(dir);
  writeFileSync(join(dir, 'firecracker.pid'), `${vm.pid}\n`);
  writeFileSync(join(dir, 'console.log'), '');
});
afterEach(() => {
  vm.kill('SIGKILL');
  rmSync(vms, { recursive: true, force: true });
});

const watcherAlive = () => {
  const pid = Number(readFileSync(join(dir, 'console-watch.pid'), 'utf8'));
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('console-watch.sh under dash', () => {
  it('returns at once, keeps console.log under its bound while the guest prints, keeps the end as console.log.1, and counts what it cut', async () => {
    expect(runUnderDash(script, [dir, 1000, 300, 0.05]).status).toBe(0);
    let written = 0;
    for (let i = 0; i < 40; i++) {
      const line = `line ${String(i).padStart(4, '0')} ${'x'.repeat(40)}\n`;
      appendFileSync(join(dir, 'console.log'), line);
      written += line.length;
      await new Promise((resolve) => setTimeout(resolve, 10)); // a guest printing over time
    }
    await until(() => existsSync(join(dir, 'console.rotated')), 'a rotation');
    await until(() => statSync(join(dir, 'console.log')).size <= 1000, 'console.log within its bound');
    const kept = readFileSync(join(dir, 'console.log.1'), 'utf8');
    expect(kept.length).toBeLessThanOrEqual(300);
    const rotated = Number(readFileSync(join(dir, 'console.rotated'), 'utf8'));
    // What was cut plus what is left is what was printed, but for a line that raced a rotation.
    const accounted = rotated + statSync(join(dir, 'console.log')).size;
    expect(accounted).toBeLessThanOrEqual(written);
    expect(accounted).toBeGreaterThanOrEqual(written - 2 * 51);
    // The last lines of an exited VM still come, across the rotation.
    vm.kill('SIGKILL');
    await until(() => !watcherAlive(), 'the watcher ending with the VM');
    const found = parseDiscovery(runUnderDash(discover, [vms]).stdout)[0]!;
    expect(found.alive).toBe(false);
    expect(found.lastLog?.at(-1)).toBe(`line 0039 ${'x'.repeat(40)}`);
    expect(found.lastLog!.length).toBeGreaterThan(1);
  });

  it('exits 3 for a directory without a console log', () => {
    expect(runUnderDash(script, [join(vms, 'none'), 1000, 300, 1]).status).toBe(3);
  });
});
