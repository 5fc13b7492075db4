import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/vm-discover.sh';
import { parseDiscovery } from '../../../../electron/vms/vm-discovery';
import { runUnderDash } from '../../../support/host-script-harness';

let vms: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  vms = join(mkdtempSync(join(tmpdir(), 'firedeck-discover-')), 'vms');
  mkdirSync(vms);
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  rmSync(join(vms, '..'), { recursive: true, force: true });
});

function runDir(id: string, files: Record<string, string>): string {
  const dir = join(vms, id);
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
const discover = (...only: string[]) => {
  const run = runUnderDash(script, [vms, ...only]);
  expect(run.status).toBe(0);
  return parseDiscovery(run.stdout);
};

describe('vm-discover.sh under dash', () => {
  it('lists a live VM (its process runs in the run directory) with its config and bridge port', async () => {
    const dir = runDir('live-1', { 'config.json': `${JSON.stringify({ vcpus: 2, name: 'web', createdAt: '2025-01-01T00:00:00.000Z' })}\n`, 'bridge.port': '40001\n' });
    const firecracker = spawn('sleep', ['30'], { cwd: dir, stdio: 'ignore' });
    children.push(firecracker);
    await new Promise((resolve) => firecracker.once('spawn', resolve));
    writeFileSync(join(dir, 'firecracker.pid'), `${firecracker.pid}\n`);
    expect(discover()).toEqual([{ id: 'live-1', alive: true, stopped: false, config: { vcpus: 2, name: 'web', createdAt: '2025-01-01T00:00:00.000Z' }, startedAt: '2025-01-01T00:00:00.000Z', bridgePort: 40001 }]);
  });

  it('lists dead VMs with their log tail, stopped ones as stopped, and ignores a pid of another process', () => {
    runDir('dead-1', { 'config.json': '{"vcpus":2}\n', 'console.log': Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n', 'firecracker.pid': `${process.pid}\n` });
    runDir('stopped-1', { 'config.json': '{}\n', stopped: '' });
    const [dead, stopped] = discover();
    expect(dead).toMatchObject({ id: 'dead-1', alive: false, stopped: false, config: { vcpus: 2 } });
    expect(dead!.lastLog).toHaveLength(15);
    expect(dead!.lastLog!.at(-1)).toBe('line 29');
    expect(stopped).toMatchObject({ id: 'stopped-1', alive: false, stopped: true });
  });

  it('with an id, reads that VM only, and an id that is not one (a path) reads nothing', () => {
    runDir('one-1', { 'config.json': '{"vcpus":1}\n' });
    runDir('two-2', { 'config.json': '{"vcpus":2}\n' });
    mkdirSync(join(vms, '..', 'outside'));
    expect(discover('two-2').map((vm) => [vm.id, vm.config])).toEqual([['two-2', { vcpus: 2 }]]);
    expect(discover('gone-3')).toEqual([]);
    expect(discover('../outside')).toEqual([]);
    expect(discover().map((vm) => vm.id)).toEqual(['one-1', 'two-2']);
  });

  it('prints a name holding a backslash as it is: it cannot forge another VM', () => {
    const name = 'x\\n@vm ghost-vm\\nalive yes';
    runDir('real-1', { 'config.json': `${JSON.stringify({ name })}\n` });
    const found = discover();
    expect(found.map((vm) => vm.id)).toEqual(['real-1']);
    expect(found[0]!.config).toEqual({ name });
  });

  it('skips run directories whose name is not a VM id', () => {
    runDir('ok-1', {});
    runDir('bad_id', {});
    runDir('new\nline', {});
    runDir('a'.repeat(65), {});
    expect(discover().map((vm) => vm.id)).toEqual(['ok-1']);
  });

  it('is empty for a host without VMs', () => {
    rmSync(vms, { recursive: true });
    expect(discover()).toEqual([]);
  });
});
