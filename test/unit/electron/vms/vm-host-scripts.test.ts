import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoveryScript, parseDiscovery, prepareScript, vmPaths } from '../../../../electron/vms/vm-host-scripts';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'firedeck-vmscripts-'));
});
afterAll(() => rm(home, { recursive: true, force: true }));

const sh = (script: string) => execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });

describe('host scripts', () => {
  it('prepare creates the run directory with its FIFO and config, and refuses an existing one', () => {
    const paths = vmPaths(join(home, '.firedeck'), 'vm-a');
    sh(prepareScript(paths, { id: 'vm-a', name: "it's $(not) run" }));
    expect(sh(`test -p '${paths.fifo}' && echo fifo`).trim()).toBe('fifo');
    expect(JSON.parse(sh(`cat '${paths.config}'`))).toEqual({ id: 'vm-a', name: "it's $(not) run" });
    expect(() => sh(prepareScript(paths, {}))).toThrow(/status 17|exit code 17|Command failed/);
  });

  it('discovery lists dead VMs with their log tail and ignores a pid that belongs to another process', async () => {
    const firedeckDir = join(home, 'fd2');
    const dir = join(firedeckDir, 'vms', 'dead-1');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'config.json'), JSON.stringify({ vcpus: 2, memoryMib: 256 }));
    await writeFile(join(dir, 'console.log'), Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n');
    // A live pid that is not this VM's Firecracker (pid reuse): it must not count as alive.
    await writeFile(join(dir, 'firecracker.pid'), String(process.pid));
    const [vm] = parseDiscovery(sh(discoveryScript(firedeckDir)));
    expect(vm).toMatchObject({ id: 'dead-1', alive: false, stopped: false, config: { vcpus: 2, memoryMib: 256 } });
    expect(vm!.lastLog).toHaveLength(15);
    expect(vm!.lastLog!.at(-1)).toBe('line 29');
  });

  it('discovery of a host without VMs is empty', () => {
    expect(parseDiscovery(sh(discoveryScript(join(home, 'nothing-here'))))).toEqual([]);
  });
});
