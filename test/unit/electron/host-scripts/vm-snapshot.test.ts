import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import snapshotDir from '../../../../electron/host-scripts/vm-snapshot-dir.sh';
import snapshotSource from '../../../../electron/host-scripts/vm-snapshot-source.sh';
import { runUnderDash } from '../../../support/host-script-harness';

const root = mkdtempSync(join(tmpdir(), 'firedeck-snapshot-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('vm-snapshot-dir.sh under dash', () => {
  it('makes the snapshot folder private (a memory snapshot holds the guest’s RAM)', () => {
    const dir = join(root, 'vm-1');
    mkdirSync(dir);
    expect(runUnderDash(snapshotDir, [dir]).status).toBe(0);
    expect(statSync(join(dir, 'snapshot')).mode & 0o777).toBe(0o700);
  });
});

describe('vm-snapshot-source.sh under dash', () => {
  const dir = join(root, 'vm-2');
  it('exits 3 without a config and 4 without a complete snapshot', () => {
    mkdirSync(join(dir, 'snapshot'), { recursive: true });
    expect(runUnderDash(snapshotSource, [dir]).status).toBe(3);
    writeFileSync(join(dir, 'config.json'), '{"vcpus":1}\n');
    expect(runUnderDash(snapshotSource, [dir]).status).toBe(4);
    writeFileSync(join(dir, 'snapshot', 'state'), '');
    expect(runUnderDash(snapshotSource, [dir]).status).toBe(4);
  });

  it('prints the config of a VM with a snapshot', () => {
    writeFileSync(join(dir, 'snapshot', 'mem'), '');
    expect(runUnderDash(snapshotSource, [dir])).toMatchObject({ status: 0, stdout: '{"vcpus":1}\n' });
  });
});
