import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureKeyUser, ensureTestUsers, startTestHost } from '../test/support/ssh-test-hosts';
import type { TestHost } from '../test/support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../test/support/test-core';
import type { TestCore } from '../test/support/test-core';
import { installFirecrackerFor } from '../test/support/vm-fixtures';
import type { BenchResult } from './harness';

const run = promisify(execFile);
const HOSTS = 4;
const VMS_PER_HOST = 50;

interface Fleet {
  hosts: { test: TestHost; user: string; id: string }[];
  t: TestCore;
  stop(): Promise<void>;
}

/** 4 sshd hosts, each with its own user and 50 emulated Firecracker processes, and a backend connected to all. */
async function startFleet(pollMs: number): Promise<Fleet> {
  const hosts: Fleet['hosts'] = [];
  for (let i = 1; i <= HOSTS; i++) {
    const user = await ensureKeyUser(`fdbench-${i}`);
    await installFirecrackerFor(user);
    const script = [
      'set -e',
      `for i in $(seq 1 ${VMS_PER_HOST}); do`,
      '  d="$HOME/.firedeck/vms/bench-$i"; rm -rf "$d"; mkdir -p "$d"; cd "$d"',
      '  mkfifo console.in; : > console.log; : > firecracker.log',
      `  printf '%s' '{"id":"bench-'"$i"'","vcpus":1,"memoryMib":128,"kernel":"k","rootfs":"r","createdAt":"2026-01-01T00:00:00Z"}' > config.json`,
      '  setsid "$HOME/.firedeck/bin/firecracker" --api-sock "$d/api.sock" --id "bench-$i" --log-path firecracker.log 0<>console.in >>console.log 2>&1 &',
      '  echo $! > firecracker.pid',
      'done',
      `for i in $(seq 1 ${VMS_PER_HOST}); do n=0; while [ ! -S "$HOME/.firedeck/vms/bench-$i/api.sock" ] && [ $n -lt 200 ]; do sleep 0.1; n=$((n+1)); done; done`,
    ].join('\n');
    execFileSync('runuser', ['-u', user, '--', 'sh', '-c', script], { stdio: 'ignore' });
    hosts.push({ test: await startTestHost({ address: `127.0.0.${30 + i}`, users: [user] }), user, id: '' });
  }
  const t = await startTestCore({ vmPollMs: pollMs });
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
 * Refreshing the list of 4 hosts × 50 VMs, against what a user would script by hand: a loop of
 * `ssh host curl --unix-socket … /` over an OpenSSH ControlMaster (no new handshake per call).
 */
export async function benchVmList(): Promise<BenchResult[]> {
  const keys = await ensureTestUsers();
  const fleet = await startFleet(0);
  try {
    const warm = await fleet.t.call('vms.list');
    if (warm.length !== HOSTS * VMS_PER_HOST) throw new Error(`expected ${HOSTS * VMS_PER_HOST} VMs, listed ${warm.length}`);
    const samples: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      await fleet.t.call('vms.list');
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    const firedeck = samples[3]!;

    const common = (host: Fleet['hosts'][number]) => ['-i', keys.key.keyPath, '-p', String(host.test.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-S', `/tmp/fdbench-${host.user}.ctl`];
    for (const host of fleet.hosts) await run('ssh', [...common(host), '-M', '-N', '-f', '-o', 'ControlPersist=120', `${host.user}@${host.test.address}`]);
    const start = performance.now();
    for (const host of fleet.hosts) {
      for (let i = 1; i <= VMS_PER_HOST; i++) {
        await run('ssh', [...common(host), `${host.user}@${host.test.address}`, `curl -s --unix-socket /home/${host.user}/.firedeck/vms/bench-${i}/api.sock http://localhost/`]);
      }
    }
    const loop = performance.now() - start;
    for (const host of fleet.hosts) await run('ssh', [...common(host), '-O', 'exit', `${host.user}@${host.test.address}`]).catch(() => {});
    return [
      { name: 'list 4×50 VMs vs ssh+curl loop (ControlMaster)', unit: 'ms', value: firedeck, baseline: loop, ratio: firedeck / loop, target: '<= 0.05' },
      { name: 'list 4×50 VMs vs the 250 ms budget', unit: 'ms', value: firedeck, baseline: 250, ratio: firedeck / 250, target: '<= 1.0' },
    ];
  } finally {
    await fleet.stop();
  }
}

/**
 * The backend's resident memory while it polls 4 × 50 VMs every second: the size at the end
 * against the size after the first minute (a leak grows; a steady backend stays put).
 */
export async function benchPollingMemory(): Promise<BenchResult> {
  const minutes = Number(process.env.BENCH_MEMORY_MINUTES ?? 10);
  const fleet = await startFleet(1_000);
  try {
    await fleet.t.call('vms.list');
    await new Promise((resolve) => setTimeout(resolve, 60_000));
    const first = process.memoryUsage().rss / 1024 / 1024;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, minutes - 1) * 60_000));
    const last = process.memoryUsage().rss / 1024 / 1024;
    return {
      name: `backend RSS after ${minutes} min of polling 4×50 VMs vs after 1 min`,
      unit: 'MiB',
      value: last,
      baseline: first,
      ratio: last / first,
      target: '<= 1.1',
    };
  } finally {
    await fleet.stop();
  }
}
