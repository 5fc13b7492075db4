import { execFileSync } from 'node:child_process';
import { runHostScript, withArguments } from '../electron/ssh/host-script';
import { metricsSample } from '../electron/metrics/metrics-scripts';
import { ensureKeyUser, startTestHost } from '../test/support/ssh-test-hosts';
import type { TestHost } from '../test/support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../test/support/test-core';
import type { TestCore } from '../test/support/test-core';
import { installFirecrackerFor } from '../test/support/vm-fixtures';
import type { BenchResult } from './harness';

const VMS_PER_HOST = 50;

interface MetricsFleet {
  hosts: { test: TestHost; user: string; id: string }[];
  t: TestCore;
  stop(): Promise<void>;
}

/**
 * `count` sshd hosts, each with a user of its own and 50 emulated Firecrackers that were given a
 * metrics file and booted (InstanceStart), so FlushMetrics works as on a real host.
 */
async function startMetricsFleet(count: number, metricsIntervalMs: number): Promise<MetricsFleet> {
  const hosts: MetricsFleet['hosts'] = [];
  for (let i = 1; i <= count; i++) {
    const user = await ensureKeyUser(`fdmet-bench${i}`);
    const images = await installFirecrackerFor(user);
    const script = [
      'set -e',
      `for i in $(seq 1 ${VMS_PER_HOST}); do`,
      '  d="$HOME/.firedeck/vms/mb-$i"; rm -rf "$d"; mkdir -p "$d"; cd "$d"',
      '  mkfifo console.in; : > console.log; : > firecracker.log; : > metrics',
      `  printf '%s\\n' '{"id":"mb-'"$i"'","vcpus":1,"memoryMib":128,"kernel":"k","rootfs":"r","createdAt":"2026-01-01T00:00:00Z"}' > config.json`,
      '  setsid "$HOME/.firedeck/bin/firecracker" --api-sock "$d/api.sock" --id "mb-$i" --log-path firecracker.log --metrics-path "$d/metrics" 0<>console.in >>console.log 2>&1 &',
      '  echo $! > firecracker.pid',
      'done',
      `for i in $(seq 1 ${VMS_PER_HOST}); do`,
      '  s="$HOME/.firedeck/vms/mb-$i/api.sock"; n=0; while [ ! -S "$s" ] && [ $n -lt 200 ]; do sleep 0.1; n=$((n+1)); done',
      '  api() { curl -fsS --unix-socket "$s" -X PUT -H "Content-Type: application/json" -d "$2" "http://localhost$1" >/dev/null; }',
      `  api /boot-source '{"kernel_image_path":"${images.kernel}","boot_args":"console=ttyS0"}'`,
      `  api /drives/rootfs '{"drive_id":"rootfs","path_on_host":"${images.rootfs}","is_root_device":true,"is_read_only":false}'`,
      '  api /actions \'{"action_type":"InstanceStart"}\'',
      'done',
    ].join('\n');
    execFileSync('runuser', ['-u', user, '--', 'sh', '-c', script], { stdio: 'ignore' });
    hosts.push({ test: await startTestHost({ address: `127.0.0.${155 + i}`, users: [user] }), user, id: '' });
  }
  const t = await startTestCore({ metricsIntervalMs });
  for (const host of hosts) host.id = await connectTestHost(t, host.test, { user: host.user, label: host.user });
  return {
    hosts,
    t,
    async stop() {
      await t.close();
      for (const host of hosts) {
        await host.test.stop();
        try {
          execFileSync('pkill', ['-9', '-u', host.user, '-f', 'firedeck/bin/firecracker']);
        } catch {
          // nothing left running
        }
        execFileSync('rm', ['-rf', `/home/${host.user}/.firedeck/vms`]);
      }
    },
  };
}

/**
 * CPU seconds (user + system) of the script, run in a subshell, and all it started: the second
 * line of `times` (the children of the shell). The first line is the login shell's own time,
 * which every command pays and the sampler does not add.
 */
function cpuOf(timesOutput: string): number {
  const children = timesOutput.trim().split('\n').at(-1) ?? '';
  let total = 0;
  for (const m of children.matchAll(/(\d+)m([\d.]+)s/g)) total += Number(m[1]) * 60 + Number(m[2]);
  return total;
}

/**
 * The sampler's cost on a host with 50 VMs: CPU time of one metrics-sample.sh run (the shell,
 * its one curl and its 50 tails; Firecracker's own work to answer FlushMetrics is the VMs'),
 * against the 3 s interval it runs in. Also the same without flushing, to show what the flush costs.
 */
export async function benchSamplerCpu(): Promise<BenchResult[]> {
  const fleet = await startMetricsFleet(1, 3_000);
  try {
    const host = fleet.hosts[0]!;
    const ctx = await fleet.t.core.hosts.context(host.id);
    const dir = ctx.probe.firedeckDir;
    // A first sample learns where each metrics file ends, as the sampler's first run does.
    const first = await runHostScript(ctx.connection, metricsSample, [dir, '', 'no', 1 << 20, '']);
    const vms = [...first.output.matchAll(/^@vm (\S+)$/gm)].length;
    if (vms !== VMS_PER_HOST) throw new Error(`expected ${VMS_PER_HOST} VMs in the sample, got ${vms}`);
    const offsets = [...first.output.matchAll(/^@vm (\S+)\nproc .*\nsize (\d+)$/gm)].map((m) => `${m[1]}:${m[2]}`).join(' ');
    const measure = async (scriptArgs: (string | number)[], rounds: number) => {
      const runs: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const result = await ctx.connection.exec(`( ${withArguments(metricsSample.source, scriptArgs)}\n) >/dev/null\ntimes`, { timeoutMs: 60_000 });
        runs.push(cpuOf(result.output) * 1000);
      }
      runs.sort((a, b) => a - b);
      return runs[Math.floor(runs.length / 2)]!;
    };
    // Offsets move on as Firecracker writes; reading from an old offset only reads a few lines more.
    const withFlush = await measure([dir, offsets, 'no', 1 << 30, '100 4096'], 9);
    const slow = await measure([dir, offsets, 'yes', 1 << 30, '100 4096'], 5);
    return [
      { name: 'sampler CPU on the host per 3 s interval, 50 VMs', unit: 'ms', value: withFlush, baseline: 3_000, ratio: withFlush / 3_000, target: '<= 0.05', note: `a slow sample (df and du too, every 10th) takes ${slow.toFixed(1)} ms of CPU` },
    ];
  } finally {
    await fleet.stop();
  }
}

/**
 * The backend's resident memory while it samples 4 hosts × 50 VMs (every window gone but one
 * subscription for all hosts): at the end against after the first minute. An hour by default
 * (BENCH_METRICS_MINUTES shortens it; BENCH_METRICS_INTERVAL_MS, default 3000, sets the interval).
 */
export async function benchMetricsMemory(): Promise<BenchResult> {
  const minutes = Number(process.env.BENCH_METRICS_MINUTES ?? 60);
  const intervalMs = Number(process.env.BENCH_METRICS_INTERVAL_MS ?? 3_000);
  const fleet = await startMetricsFleet(4, intervalMs);
  try {
    await fleet.t.call('metrics.subscribe', {});
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    global.gc?.();
    const first = process.memoryUsage().rss / 1024 / 1024;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, minutes - 1) * 60_000));
    global.gc?.();
    const last = process.memoryUsage().rss / 1024 / 1024;
    const samples = fleet.hosts.map((h) => fleet.t.core.metrics.sampler(h.id)?.samples ?? 0);
    return {
      name: `backend RSS after ${minutes} min of sampling 4×50 VMs vs after 1 min`,
      unit: 'MiB',
      value: last,
      baseline: first,
      ratio: last / first,
      target: '<= 1.1',
      note: `every ${intervalMs} ms; samples per host: ${samples.join(', ')}`,
    };
  } finally {
    await fleet.stop();
  }
}
