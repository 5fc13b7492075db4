import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/vm-prepare.sh';
import { vmPaths } from '../../../../electron/vms/vm-paths';
import { runUnderDash } from '../../../support/host-script-harness';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'firedeck-prepare-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe('vm-prepare.sh under dash', () => {
  it('makes a private run directory with the FIFO, the logs and the config, byte for byte', () => {
    const paths = vmPaths(join(home, '.firedeck'), 'vm-a');
    const config = JSON.stringify({ id: 'vm-a', name: "x\\n@vm ghost-vm it's $(not) run" });
    const run = runUnderDash(script, [paths.dir, config]);
    expect(run).toMatchObject({ status: 0, stderr: '' });
    expect(statSync(paths.fifo).isFIFO()).toBe(true);
    expect(readFileSync(paths.config, 'utf8')).toBe(`${config}\n`);
    expect(readFileSync(paths.log, 'utf8')).toBe('');
    expect(mode(join(home, '.firedeck', 'vms'))).toBe(0o700);
    expect(mode(paths.dir)).toBe(0o700);
    for (const file of [paths.fifo, paths.config, paths.log, paths.fcLog]) expect(mode(file)).toBe(0o600);
  });

  it('exits 17 when a VM of that id exists, and leaves it alone', () => {
    const paths = vmPaths(join(home, '.firedeck'), 'vm-b');
    expect(runUnderDash(script, [paths.dir, '{"first":true}']).status).toBe(0);
    expect(runUnderDash(script, [paths.dir, '{"second":true}']).status).toBe(17);
    expect(readFileSync(paths.config, 'utf8')).toBe('{"first":true}\n');
  });
});
