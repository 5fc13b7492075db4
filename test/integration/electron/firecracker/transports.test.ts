import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFirecrackerClient } from '../../../../electron/firecracker/client';
import type { ApiConnector } from '../../../../electron/firecracker/client';
import { sshTcpConnector } from '../../../../electron/firecracker/transports/ssh-tcp';
import { sshUnixConnector } from '../../../../electron/firecracker/transports/ssh-unix';
import { tcpConnector } from '../../../../electron/firecracker/transports/tcp';
import { unixConnector } from '../../../../electron/firecracker/transports/unix';
import { startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';

// A stand-in API socket answering like Firecracker: the transports only move bytes, so any HTTP
// server on a Unix socket shows whether requests and errors cross each of them intact.
let dir: string;
let socketPath: string;
let server: Server;
let socat: ChildProcess;
let socatPort: number;
let host: TestHost;
let forbidding: TestHost;
let t: TestCore;

const connectTo = async (test: TestHost) => t.core.hosts.connection(await connectTestHost(t, test));

beforeAll(async () => {
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
  socatPort = await new Promise<number>((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  socat = spawn('socat', [`TCP-LISTEN:${socatPort},bind=127.0.0.1,fork,reuseaddr`, `UNIX-CONNECT:${socketPath}`], { stdio: 'ignore' });
  [host, forbidding] = await Promise.all([startTestHost({ address: '127.0.0.7' }), startTestHost({ address: '127.0.0.8', allowStreamLocalForwarding: false })]);
  t = await startTestCore();
  await new Promise((resolve) => setTimeout(resolve, 200)); // socat binds asynchronously
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

describe('Firecracker API transports', () => {
  const expectations = (result: Awaited<ReturnType<typeof roundTrip>>) => {
    expect(result.first).toMatchObject({ id: 'vm-1', state: 'Running' });
    expect(result.again).toEqual(result.first);
    expect(result.fault).toMatchObject({ code: 'FIRECRACKER_API_ERROR', message: 'The requested operation is not supported after starting the microVM.', details: { status: 400 } });
  };

  it('ssh-unix: a stream-local channel to the socket', async () => {
    expectations(await roundTrip(sshUnixConnector(await connectTo(host), socketPath)));
  });

  it('ssh-tcp: socat on the host loopback, reached with direct-tcpip', async () => {
    expectations(await roundTrip(sshTcpConnector(await connectTo(host), socatPort)));
  });

  it('ssh-unix is refused by a host with AllowStreamLocalForwarding no, and ssh-tcp still works there', async () => {
    const connection = await connectTo(forbidding);
    const client = createFirecrackerClient({ connector: sshUnixConnector(connection, socketPath), name: 'vm-1' });
    await expect(client.describeInstance()).rejects.toMatchObject({ code: 'STREAMLOCAL_FORBIDDEN' });
    await client.close();
    expectations(await roundTrip(sshTcpConnector(connection, socatPort)));
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
