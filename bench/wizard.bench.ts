import { rm } from 'node:fs/promises';
import { ensureKeyUser, startTestHost } from '../test/support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../test/support/test-core';
import { startTestMirror } from '../test/support/test-mirror';
import type { BenchResult } from './harness';

/**
 * Re-running the setup on a host that is already set up: every step only checks, so this is
 * the cost of the checks (connection, probe, a few round trips). Target: at most 2 s; the
 * baseline is that budget.
 */
export async function benchWizardRerun(): Promise<BenchResult> {
  const user = await ensureKeyUser('fdbench-wiz');
  await rm(`/home/${user}/.firedeck`, { recursive: true, force: true });
  const [host, mirror] = await Promise.all([startTestHost({ address: '127.0.0.35', users: [user] }), startTestMirror()]);
  const t = await startTestCore();
  try {
    await t.call('settings.update', { firecrackerReleaseBaseUrl: mirror.releaseBaseUrl, imageBaseUrl: mirror.imageBaseUrl });
    const hostId = await connectTestHost(t, host, { user });
    const first = await t.call('wizard.run', { hostId });
    if (first.steps.some((s) => s.status === 'failed')) throw new Error('the first setup run failed');
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      await t.call('wizard.run', { hostId });
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    const value = samples[2]!;
    return { name: 'setup wizard re-run on a ready host', unit: 'ms', value, baseline: 2000, ratio: value / 2000, target: '<= 1.0' };
  } finally {
    await t.close();
    await host.stop();
    await mirror.stop();
  }
}
