import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { Client } from 'undici';
import { createFirecrackerClient } from '../electron/firecracker/client';
import type { HostConnection } from '../electron/ssh/host-connection';
import type { ApiConnector } from '../electron/firecracker/client';
import { sshExecConnector } from '../electron/firecracker/transports/ssh-exec';
import { sshUnixConnector } from '../electron/firecracker/transports/ssh-unix';
import { unixConnector } from '../electron/firecracker/transports/unix';
import { ensureTestUsers, startTestHost } from '../test/support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../test/support/test-core';
import type { BenchResult } from './harness';

const REQUESTS = Number(process.env.BENCH_API_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_API_ROUNDS ?? 3);

/** Median latency in µs of `request`, after a warm-up. */
async function median(request: () => Promise<unknown>, requests = REQUESTS): Promise<number> {
  for (let i = 0; i < Math.min(100, requests); i++) await request();
  const samples: number[] = [];
  for (let i = 0; i < requests; i++) {
    const start = process.hrtime.bigint();
    await request();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/** Median latency in µs of `GET /` through Firedeck's client over one warm keep-alive connection. */
async function latency(connector: ApiConnector): Promise<number> {
  const client = createFirecrackerClient({ connector, name: 'bench' });
  try {
    return await median(() => client.describeInstance());
  } finally {
    await client.close();
  }
}

/** undici's Client alone over the connector: no wrapper, no JSON parse. */
async function undiciLatency(connector: ApiConnector, parse: boolean): Promise<number> {
  const client = new Client('http://firecracker.local', {
    pipelining: 1,
    connect: (_opts, callback) => {
      connector().then(
        (stream) => callback(null, stream as unknown as Parameters<typeof callback>[1] & object),
        (error: Error) => callback(error, null),
      );
    },
  });
  try {
    return await median(async () => {
      const response = await client.request({ method: 'GET', path: '/', headers: { accept: 'application/json' } });
      const text = await response.body.text();
      return parse ? JSON.parse(text) : text;
    });
  } finally {
    await client.close();
  }
}

const RAW_REQUEST = 'GET / HTTP/1.1\r\nhost: firecracker.local\r\naccept: application/json\r\n\r\n';

/** One HTTP/1.1 exchange written and read by hand on `stream`: the floor for any client on it. */
function rawExchange(stream: Duplex): Promise<void> {
  return new Promise((resolve) => {
    let buffered: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      const headerEnd = buffered.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const length = Number(/content-length: *(\d+)/i.exec(buffered.subarray(0, headerEnd).toString('latin1'))?.[1] ?? 0);
      if (buffered.length < headerEnd + 4 + length) return;
      stream.off('data', onData);
      resolve();
    };
    stream.on('data', onData);
    stream.write(RAW_REQUEST);
  });
}

function openForward(connection: HostConnection, socket: string): Promise<Duplex> {
  return connection.withClient(
    (client) => new Promise<Duplex>((resolve, reject) => client.openssh_forwardOutStreamLocal(socket, (error, stream) => (error ? reject(error) : resolve(stream)))),
  );
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
    const best: Record<string, number> = {};
    const take = (name: string, value: number) => (best[name] = Math.min(best[name] ?? Infinity, value));
    for (let round = 0; round < ROUNDS; round++) {
      take('direct', await latency(unixConnector(socket)));
      take('openssh', await latency(unixConnector(tunnelSocket)));
      take('sshUnix', await latency(sshUnixConnector(connection, socket)));
      take('sshExec', await latency(sshExecConnector(connection, socket, 'socat', 'bench')));
      // The layers under ssh-unix, from the bottom: where its time goes.
      const channel = await openForward(connection, socket);
      take('bare', await median(() => rawExchange(channel)));
      channel.end();
      take('barePerRequest', await median(async () => {
        const fresh = await openForward(connection, socket);
        await rawExchange(fresh);
        fresh.end();
      }, Math.max(1, Math.floor(REQUESTS / 10))));
      const bareConnector = () => openForward(connection, socket);
      take('undici', await undiciLatency(bareConnector, false));
      take('undiciJson', await undiciLatency(bareConnector, true));
      take('clientBare', await latency(bareConnector));
    }
    const b = best as Record<'direct' | 'openssh' | 'sshUnix' | 'sshExec' | 'bare' | 'barePerRequest' | 'undici' | 'undiciJson' | 'clientBare', number>;
    const layers =
      `Median µs per GET /, from the bottom: ssh2 channel with HTTP written by hand ${b.bare.toFixed(0)} (a new channel per request: ${b.barePerRequest.toFixed(0)}); ` +
      `+ undici Client ${b.undici.toFixed(0)}; + JSON.parse ${b.undiciJson.toFixed(0)}; + Firedeck's client wrapper ${b.clientBare.toFixed(0)}; ` +
      `+ HostConnection.openStream (ssh-unix as the app runs it) ${b.sshUnix.toFixed(0)}. Direct socket ${b.direct.toFixed(0)}, OpenSSH -L tunnel ${b.openssh.toFixed(0)}.`;
    return [
      { name: 'GET / via ssh-unix vs OpenSSH tunnel', unit: 'µs', value: b.sshUnix, baseline: b.openssh, ratio: b.sshUnix / b.openssh, target: '<= 0.85', note: layers },
      { name: 'GET / via ssh-unix vs bare ssh2 channel', unit: 'µs', value: b.sshUnix, baseline: b.bare, ratio: b.sshUnix / b.bare },
      { name: 'GET / via ssh-unix vs direct socket', unit: 'µs', value: b.sshUnix, baseline: b.direct, ratio: b.sshUnix / b.direct, target: '<= 1.8' },
      { name: 'GET / via ssh-exec (socat relay) vs OpenSSH tunnel', unit: 'µs', value: b.sshExec, baseline: b.openssh, ratio: b.sshExec / b.openssh },
    ];
  } finally {
    tunnel?.kill();
    server.close();
    await t.close();
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
