/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the same run, on
 * this machine, so results compare across machines. Prints a table and writes
 * bench-results.json ([{ name, unit, value, baseline, ratio }]).
 */
import { benchApiLatency } from './api-latency.bench';
import { benchFsJail } from './fs-jail.bench';
import { benchGuest } from './guest.bench';
import { printTable, writeResults } from './harness';
import { benchJail } from './jail.bench';
import { benchMetricsHeap } from './metrics-heap.bench';
import { benchMetricsMemory, benchSamplerCpu } from './metrics.bench';
import type { BenchResult } from './harness';
import { benchPush } from './push.bench';
import { benchCreateToShell, benchDiskCopy } from './vm-disk.bench';
import { benchPollingMemory, benchVmList } from './vm-list.bench';
import { benchWizardRerun } from './wizard.bench';

const only = process.argv.slice(2);
const suites: [string, () => Promise<BenchResult | BenchResult[]>][] = [
  ['fsjail', benchFsJail],
  ['push', benchPush],
  ['api', benchApiLatency],
  ['list', benchVmList],
  ['wizard', benchWizardRerun],
  ['jail', benchJail],
  ['guest', benchGuest],
  // Both need root and the real test guest (built on first use, cached).
  ['disk-copy', benchDiskCopy],
  ['create-to-shell', benchCreateToShell],
  // Ten minutes by default (BENCH_MEMORY_MINUTES shortens it).
  ['memory', benchPollingMemory],
  ['sampler', benchSamplerCpu],
  ['metrics-heap', benchMetricsHeap],
  // An hour by default (BENCH_METRICS_MINUTES shortens it).
  ['metrics-memory', benchMetricsMemory],
];

const results: BenchResult[] = [];
for (const [name, suite] of suites) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`running ${name}…`);
  results.push(...[await suite()].flat());
}
console.log('');
printTable(results);
await writeResults('bench-results.json', results);
console.log('\nwrote bench-results.json');
