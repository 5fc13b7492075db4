import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFirecrackerClient } from '../electron/firecracker/client';
import type { ApiConnector } from '../electron/firecracker/client';
import { sshExecConnector } from '../electron/firecracker/transports/ssh-exec';
import { sshUnixConnector } from '../electron/firecracker/transports/ssh-unix';
import { unixConnector } from '../electron/firecracker/transports/unix';
import { ensureTestUsers, startTestHost } from '../test/support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../test/support/test-core';
import type { BenchResult } from './harness';

const REQUESTS = 2000;

/** Median latency in µs of `GET /` over one warm keep-alive connection. */
async function latency(connector: ApiConnector): Promise<number> {
  const client = createFirecrackerClient({ connector, name: 'bench' });
  try {
    for (let i = 0; i < 100; i++) await client.describeInstance();
    const samples: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const start = process.hrtime.bigint();
      await client.describeInstance();
      samples.push(Number(process.hrtime.bigint() - start) / 1000);
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)]!;
  } finally {
    await client.close();
  }
}

/**
 * `GET /` through each transport against the limit (plain HTTP on the same Unix socket) and
 * against the tunnel a user would make by hand (`ssh -N -L local.sock:remote.sock`).
 */
export async function benchApiLatency(): Promise<BenchResult[]> {
  const users = await ensureTestUsers();
  const dir = await mkdtemp(join(tmpdir(), 'firedeck-bench-api-'));
  await chmod(dir, 0o755);
  const socket = join(dir, 'api.sock');
  const body = JSON.stringify({ id: 'bench', state: 'Running', vmm_version: '1.12.0', app_name: 'Firecracker' });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  await chmod(socket, 0o777);
  const host = await startTestHost({ address: '127.0.0.21' });
  const t = await startTestCore();
  let tunnel: ChildProcess | undefined;
  try {
    const connection = t.core.hosts.connection(await connectTestHost(t, host));

    const tunnelSocket = join(dir, 'tunnel.sock');
    tunnel = spawn('ssh', ['-N', '-i', users.key.keyPath, '-p', String(host.port), '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', '-L', `${tunnelSocket}:${socket}`, `${users.key.name}@${host.address}`], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !existsSync(tunnelSocket); i++) await new Promise((resolve) => setTimeout(resolve, 50));

    // Interleaved rounds, best median of each: every path sees the same load and warm-up.
    let [direct, openssh, sshUnix, sshExec] = [Infinity, Infinity, Infinity, Infinity];
    for (let round = 0; round < 3; round++) {
      direct = Math.min(direct, await latency(unixConnector(socket)));
      openssh = Math.min(openssh, await latency(unixConnector(tunnelSocket)));
      sshUnix = Math.min(sshUnix, await latency(sshUnixConnector(connection, socket)));
      sshExec = Math.min(sshExec, await latency(sshExecConnector(connection, socket, 'socat', 'bench')));
    }
    return [
      { name: 'GET / via ssh-unix vs OpenSSH tunnel', unit: 'µs', value: sshUnix, baseline: openssh, ratio: sshUnix / openssh, target: '<= 0.85' },
      { name: 'GET / via ssh-unix vs direct socket', unit: 'µs', value: sshUnix, baseline: direct, ratio: sshUnix / direct, target: '<= 1.8' },
      { name: 'GET / via ssh-exec (socat relay) vs OpenSSH tunnel', unit: 'µs', value: sshExec, baseline: openssh, ratio: sshExec / openssh },
    ];
  } finally {
    tunnel?.kill();
    server.close();
    await t.close();
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
