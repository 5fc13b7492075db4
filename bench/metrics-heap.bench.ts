import { createHostSampler } from '../electron/metrics/host-sampler';
import type { ExecResult, HostConnection } from '../electron/ssh/host-connection';
import { startFakeVm } from '../test/support/metrics/fake-vm-dirs';
import { localConnection } from '../test/support/metrics/local-connection';
import { makeTempDir } from '../test/support/temp-dir';
import type { BenchResult } from './harness';

/**
 * What the samplers themselves keep: 4 samplers × 50 VMs fed an hour's worth of samples each
 * (1,200 at 3 s) as fast as they take them, heap in use after a full GC against after the first
 * 20 samples (the first minute). The host side is taken out: two real metrics-sample.sh runs
 * over 50 stand-in run directories, then the second answer again and again, so only the
 * backend's histories, tracks and parsing are measured. Needs node --expose-gc (npm run bench).
 */
export async function benchMetricsHeap(): Promise<BenchResult> {
  if (!global.gc) throw new Error('run with node --expose-gc (npm run bench does)');
  const gc = global.gc;
  const root = await makeTempDir('firedeck-bench-metrics-heap-');
  const dir = `${root.path}/.firedeck`;
  const vms = await Promise.all(Array.from({ length: 50 }, (_, i) => startFakeVm(dir, `vm-${i}`, { api: false })));
  try {
    const local = localConnection();
    let answer: ExecResult | undefined;
    let realRuns = 0;
    const connection: HostConnection = {
      ...local,
      async exec(script, options) {
        if (realRuns >= 2 && answer) return answer;
        realRuns++;
        answer = await local.exec(script, options);
        local.scripts.length = 0;
        return answer;
      },
    };
    let clock = 0;
    const samplers = Array.from({ length: 4 }, (_, h) =>
      createHostSampler({
        hostId: `host-${h}`,
        host: async () => ({ connection, firedeckDir: dir, cpus: 2 }),
        intervalMs: 3_000,
        historyPoints: 1_200,
        emit: () => {},
        now: () => (clock += 750),
        onError: (error) => {
          throw error;
        },
      }),
    );
    const heapMib = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed / 1024 / 1024;
    };
    const feed = async (rounds: number) => {
      for (let i = 0; i < rounds; i++) for (const sampler of samplers) await sampler.sampleOnce();
    };
    await feed(20);
    const first = heapMib();
    await feed(1_180);
    const last = heapMib();
    return {
      name: 'sampler heap after 1 h of samples (4×50 VMs) vs after 1 min',
      unit: 'MiB',
      value: last,
      baseline: first,
      ratio: last / first,
      target: '<= 1.1',
      note: 'heap in use after a full GC, the whole bench process; the samplers hold only fixed-size rings and one track per VM.',
    };
  } finally {
    await Promise.all(vms.map((vm) => vm.stop()));
    await root.cleanup();
  }
}
