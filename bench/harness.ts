import { writeFile } from 'node:fs/promises';

/** One line of bench-results.json: Firedeck's figure, the baseline measured in the same run, and their ratio. */
export interface BenchResult {
  name: string;
  unit: string;
  value: number;
  baseline: number;
  /** value / baseline. For throughput higher is better; for latency (µs, ms) lower is. */
  ratio: number;
  /** The target the issue sets on the ratio, e.g. ">= 0.2" or "<= 0.85". */
  target?: string;
  note?: string;
}

/** Operations per second of `op` run sequentially for about `ms` milliseconds. */
export async function opsPerSecond(op: () => unknown, ms = 1000): Promise<number> {
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 100; i++) await op();
    count += 100;
  }
  return count / ((performance.now() - start) / 1000);
}

/** The best of `rounds` timings of `run` in seconds, alternating with nothing else. */
export async function bestSeconds(run: () => Promise<unknown>, rounds = 3): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await run();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

export function printTable(results: BenchResult[]): void {
  const rows = results.map((r) => [r.name, `${format(r.value)} ${r.unit}`, `${format(r.baseline)} ${r.unit}`, `${r.ratio.toFixed(2)}×`, r.target ?? '', r.target ? (meets(r) ? 'met' : 'NOT met') : '']);
  const header = ['benchmark', 'firedeck', 'baseline', 'ratio', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  for (const r of results) if (r.note) console.log(`\n${r.name}: ${r.note}`);
}

export function meets(result: BenchResult): boolean {
  const match = /^(>=|<=)\s*([\d.]+)$/.exec(result.target ?? '');
  if (!match) return true;
  return match[1] === '>=' ? result.ratio >= Number(match[2]) : result.ratio <= Number(match[2]);
}

export async function writeResults(path: string, results: BenchResult[]): Promise<void> {
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}

function format(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
}
