import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import prepare from '../../../../electron/host-scripts/metrics-prepare.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { makeTempDir } from '../../../support/temp-dir';

let root: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  root = await makeTempDir('firedeck-metrics-prepare-');
});
afterEach(() => root.cleanup());

it('metrics-prepare.sh makes an empty metrics file only its user can read, and exits 3 without the run directory', () => {
  const dir = join(root.path, 'vm-1');
  mkdirSync(dir);
  writeFileSync(join(dir, 'metrics'), 'old lines');
  expect(runUnderDash(prepare, [dir]).status).toBe(0);
  const made = statSync(join(dir, 'metrics'));
  expect(made.size).toBe(0);
  expect(made.mode & 0o777).toBe(0o600);
  expect(runUnderDash(prepare, [join(root.path, 'gone')]).status).toBe(3);
});
