import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFirecrackerClient } from '../../../../electron/firecracker/client';
import type { ApiConnector } from '../../../../electron/firecracker/client';
import { createSshTransportChoice } from '../../../../electron/firecracker/transports/ssh-choice';
import type { SshApiTransport } from '../../../../electron/firecracker/transports/ssh-choice';
import { sshExecConnector } from '../../../../electron/firecracker/transports/ssh-exec';
import { sshUnixConnector, StreamLocalOpenFailed } from '../../../../electron/firecracker/transports/ssh-unix';
import { tcpConnector } from '../../../../electron/firecracker/transports/tcp';
import { unixConnector } from '../../../../electron/firecracker/transports/unix';
import type { HostConnection } from '../../../../electron/ssh/host-connection';
import { until } from '../../../support/dash-stream';
import { ensureKeyUser, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';
import { processesOf } from '../../../support/vm-fixtures';

// A stand-in API socket answering like Firecracker: the transports only move bytes, so any HTTP
// server on a Unix socket shows whether requests and errors cross each of them intact.
let dir: string;
let socketPath: string;
let deadSocket: string;
let server: Server;
let socat: ChildProcess;
let socatPort: number;
let user: string;
let host: TestHost;
let forbidding: TestHost;
let t: TestCore;

const connectTo = async (test: TestHost): Promise<HostConnection> => t.core.hosts.connection(await connectTestHost(t, test, { user }));

async function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

beforeAll(async () => {
  user = await ensureKeyUser('fdvm-transport');
  dir = await mkdtemp(join(tmpdir(), 'firedeck-api-'));
  await chmod(dir, 0o755);
  socketPath = join(dir, 'api.sock');
  server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ id: 'vm-1', state: 'Running', vmm_version: '1.12.0', app_name: 'Firecracker' }));
    } else {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ fault_message: 'The requested operation is not supported after starting the microVM.' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  await chmod(socketPath, 0o777); // the SSH user of the test host is not root
  // A socket that is there but refuses connections: bound, never listening (a hung VM's socket).
  deadSocket = join(dir, 'dead.sock');
  execFileSync('perl', ['-MIO::Socket::UNIX', '-e', 'IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0]) or die', deadSocket]);
  await chmod(deadSocket, 0o777);
  socatPort = await new Promise<number>((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  socat = spawn('socat', [`TCP-LISTEN:${socatPort},bind=127.0.0.1,fork,reuseaddr`, `UNIX-CONNECT:${socketPath}`], { stdio: 'ignore' });
  [host, forbidding] = await Promise.all([
    startTestHost({ address: '127.0.0.7', users: [user] }),
    startTestHost({ address: '127.0.0.8', users: [user], allowStreamLocalForwarding: false, allowTcpForwarding: false }),
  ]);
  t = await startTestCore();
  for (let i = 0; i < 250 && !(await portAccepts(socatPort)); i++) await new Promise((resolve) => setTimeout(resolve, 20)); // socat binds asynchronously
});
afterAll(async () => {
  socat.kill();
  server.close();
  await t.close();
  await Promise.all([host.stop(), forbidding.stop()]);
  await rm(dir, { recursive: true, force: true });
});

async function roundTrip(connector: ApiConnector) {
  const client = createFirecrackerClient({ connector, name: 'vm-1' });
  try {
    const first = await client.describeInstance();
    const again = await client.describeInstance(); // the keep-alive connection is reused
    const fault = await client.putMachineConfig({ vcpu_count: 2, mem_size_mib: 256 }).then(() => null, (e: unknown) => e);
    return { first, again, fault };
  } finally {
    await client.close();
  }
}

const expectations = (result: Awaited<ReturnType<typeof roundTrip>>) => {
  expect(result.first).toMatchObject({ id: 'vm-1', state: 'Running' });
  expect(result.again).toEqual(result.first);
  expect(result.fault).toMatchObject({ code: 'FIRECRACKER_API_ERROR', message: 'The requested operation is not supported after starting the microVM.', details: { status: 400 } });
};

/** The test user's processes besides its sshd: here, only API relays (socat, python3 or perl). */
const relays = () => processesOf(user, '.').filter((line) => !/^\d+ sshd/.test(line));

describe('Firecracker API transports', () => {
  it('ssh-unix: a stream-local channel to the socket', async () => {
    expectations(await roundTrip(sshUnixConnector(await connectTo(host), socketPath)));
  });

  it.each(['socat', 'python3', 'perl'] as const)('ssh-exec with %s works where sshd forbids all forwarding, opens no port, and the relay ends with its channel', async (tool) => {
    const connection = await connectTo(forbidding);
    const connector = sshExecConnector(connection, socketPath, tool, 'forbidding');
    expectations(await roundTrip(connector));
    await until(() => relays().length === 0, `no ${tool} relay left on the host`);
    const client = createFirecrackerClient({ connector, name: 'vm-1' });
    await client.describeInstance();
    expect(relays()).toEqual([expect.stringContaining(tool)]); // one relay per open API connection
    await client.close();
    await until(() => relays().length === 0, `no ${tool} relay left on the host`);
  });

  it('ssh-unix is refused by a host that forbids stream-local forwarding', async () => {
    const client = createFirecrackerClient({ connector: sshUnixConnector(await connectTo(forbidding), socketPath), name: 'vm-1' });
    await expect(client.describeInstance()).rejects.toBeInstanceOf(StreamLocalOpenFailed);
    await client.close();
  });

  it('tcp and unix: direct connections', async () => {
    expectations(await roundTrip(tcpConnector('127.0.0.1', socatPort)));
    expectations(await roundTrip(unixConnector(socketPath)));
  });

  it('a socket that is gone is reported as unreachable, not as a crash', async () => {
    const client = createFirecrackerClient({ connector: sshUnixConnector(await connectTo(host), join(dir, 'missing.sock')), name: 'vm-9' });
    await expect(client.describeInstance()).rejects.toMatchObject({ code: 'FIRECRACKER_UNREACHABLE' });
    await client.close();
  });
});

describe('choosing the transport per host from what sshd answers', () => {
  const choose = () => {
    const decisions: { hostId: string; transport: SshApiTransport; reason: string }[] = [];
    const choice = createSshTransportChoice({ onDecided: (hostId, transport, reason) => decisions.push({ hostId, transport, reason }) });
    return { choice, decisions };
  };

  it('a host that forbids forwarding goes over the exec relay, and says why', async () => {
    const { choice, decisions } = choose();
    const connection = await connectTo(forbidding);
    const target = { hostId: 'forbidding', label: 'forbidding', connection, preferred: 'ssh-unix' as const };
    expectations(await roundTrip(choice.connector(target, socketPath)));
    expect(choice.decided('forbidding')).toBe('ssh-exec');
    expect(decisions).toEqual([{ hostId: 'forbidding', transport: 'ssh-exec', reason: expect.stringMatching(/stream-local forwarding is off.*socat/) }]);
  });

  it('one VM whose socket refuses connections does not make the host look forbidding', async () => {
    const { choice, decisions } = choose();
    const connection = await connectTo(host);
    const target = { hostId: 'allowing', label: 'allowing', connection, preferred: 'ssh-unix' as const };
    const dead = createFirecrackerClient({ connector: choice.connector(target, deadSocket), name: 'hung' });
    await expect(dead.describeInstance()).rejects.toMatchObject({ code: 'FIRECRACKER_UNREACHABLE', message: expect.stringContaining('refuses connections') });
    await dead.close();
    expect(choice.decided('allowing')).toBeUndefined();
    expectations(await roundTrip(choice.connector(target, socketPath)));
    expect(choice.decided('allowing')).toBe('ssh-unix');
    expect(decisions.map((d) => d.transport)).toEqual(['ssh-unix']);
    // Once sshd has opened a socket on this connection, a refusing one is that VM's alone.
    const again = createFirecrackerClient({ connector: choice.connector(target, deadSocket), name: 'hung' });
    await expect(again.describeInstance()).rejects.toMatchObject({ code: 'FIRECRACKER_UNREACHABLE' });
    await again.close();
    expect(choice.decided('allowing')).toBe('ssh-unix');
  });

  it('decides again after a reconnect (sshd reads its forwarding rules per connection)', async () => {
    const { choice, decisions } = choose();
    const connection = await connectTo(forbidding);
    const target = { hostId: 'again', label: 'again', connection, preferred: 'ssh-unix' as const };
    expectations(await roundTrip(choice.connector(target, socketPath)));
    const back = new Promise<void>((resolve) => {
      const off = connection.onState((state) => {
        if (state.state === 'connected') {
          off();
          resolve();
        }
      });
    });
    await forbidding.kill();
    await forbidding.start();
    await back;
    expectations(await roundTrip(choice.connector(target, socketPath)));
    expect(decisions.map((d) => d.transport)).toEqual(['ssh-exec', 'ssh-exec']);
  });
});
