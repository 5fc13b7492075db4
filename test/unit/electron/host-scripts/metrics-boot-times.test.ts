import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import bootTimes from '../../../../electron/host-scripts/metrics-boot-times.sh';
import { summariseBootTimes } from '../../../../electron/metrics/boot-times';
import { runUnderDash } from '../../../support/host-script-harness';
import { makeTempDir } from '../../../support/temp-dir';

let root: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  root = await makeTempDir('firedeck-boot-times-');
});
afterEach(() => root.cleanup());

it('metrics-boot-times.sh prints each VM’s config; the summary has each timing, the medians and the newest', () => {
  const configs: Record<string, unknown> = {
    a: { createdAt: '2026-01-01T00:00:01Z', bootTiming: { createToStartMs: 100, startToLoginMs: 900 } },
    b: { createdAt: '2026-01-01T00:00:03Z', bootTiming: { createToStartMs: 300, startToLoginMs: null } },
    c: { createdAt: '2026-01-01T00:00:02Z', bootTiming: { createToStartMs: 200, startToLoginMs: 1100 } },
    d: { createdAt: '2026-01-01T00:00:04Z' },
  };
  for (const [id, config] of Object.entries(configs)) {
    mkdirSync(join(root.path, 'vms', id), { recursive: true });
    writeFileSync(join(root.path, 'vms', id, 'config.json'), `${JSON.stringify(config)}\n`);
  }
  mkdirSync(join(root.path, 'vms', 'not_an_id'));
  const run = runUnderDash(bootTimes, [root.path]);
  expect(run.status).toBe(0);
  expect(run.stdout).not.toContain('not_an_id');
  const summary = summariseBootTimes('h', run.stdout);
  expect(summary.vms.map((v) => v.id).sort()).toEqual(['a', 'b', 'c']);
  expect(summary.median).toEqual({ createToStartMs: 200, startToLoginMs: 1000 });
  expect(summary.last).toEqual({ id: 'b', createToStartMs: 300, startToLoginMs: null });
  expect(summariseBootTimes('h', runUnderDash(bootTimes, [join(root.path, 'none')]).stdout)).toMatchObject({ vms: [], last: null, median: { createToStartMs: null } });
});

it('counts only booted VMs in the medians: a restored clone has its own record, left out of them', () => {
  const configs: Record<string, unknown> = {
    a: { createdAt: '2026-01-01T00:00:01Z', bootTiming: { createToStartMs: 100, startToLoginMs: 900 } },
    c: { createdAt: '2026-01-01T00:00:02Z', bootTiming: { createToStartMs: 200, startToLoginMs: 1100 } },
    clone: { createdAt: '2026-01-01T00:00:05Z', bootTiming: { createToStartMs: 12, startToLoginMs: null, restored: true } },
  };
  for (const [id, config] of Object.entries(configs)) {
    mkdirSync(join(root.path, 'vms', id), { recursive: true });
    writeFileSync(join(root.path, 'vms', id, 'config.json'), `${JSON.stringify(config)}\n`);
  }
  const summary = summariseBootTimes('h', runUnderDash(bootTimes, [root.path]).stdout);
  expect(summary.vms).toContainEqual({ id: 'clone', createToStartMs: 12, startToLoginMs: null, restored: true });
  expect(summary.median).toEqual({ createToStartMs: 150, startToLoginMs: 1000 });
  expect(summary.last).toEqual({ id: 'clone', createToStartMs: 12, startToLoginMs: null, restored: true });
  // Only restores: no boot to take a median of.
  expect(summariseBootTimes('h', '@vm clone\nconfig {"bootTiming":{"createToStartMs":12,"startToLoginMs":null,"restored":true}}\n').median).toEqual({ createToStartMs: null, startToLoginMs: null });
});
