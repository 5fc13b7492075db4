import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import trim from '../../../../electron/host-scripts/metrics-trim.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { makeTempDir } from '../../../support/temp-dir';

let root: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  root = await makeTempDir('firedeck-metrics-trim-');
});
afterEach(() => root.cleanup());

it('metrics-trim.sh empties only the metrics files past the limit, and copes with no VM folder', () => {
  const vms = join(root.path, 'vms');
  for (const [id, bytes] of [['big', 5000], ['small', 10]] as const) {
    mkdirSync(join(vms, id), { recursive: true });
    writeFileSync(join(vms, id, 'metrics'), 'x'.repeat(bytes));
    writeFileSync(join(vms, id, 'console.log'), 'y'.repeat(bytes));
  }
  const run = runUnderDash(trim, [root.path, 1000]);
  expect(run).toMatchObject({ status: 0, stdout: '' });
  expect(statSync(join(vms, 'big', 'metrics')).size).toBe(0);
  expect(statSync(join(vms, 'small', 'metrics')).size).toBe(10);
  expect(statSync(join(vms, 'big', 'console.log')).size).toBe(5000);
  expect(runUnderDash(trim, [join(root.path, 'none'), 1000]).status).toBe(0);
});
