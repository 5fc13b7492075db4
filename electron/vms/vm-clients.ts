import { randomInt } from 'node:crypto';
import type { FirecrackerTransport } from '../../shared/channels/hosts.js';
import { AppError } from '../app-error.js';
import { createFirecrackerClient } from '../firecracker/client.js';
import type { ApiConnector, FirecrackerClient } from '../firecracker/client.js';
import { sshTcpConnector } from '../firecracker/transports/ssh-tcp.js';
import { sshUnixConnector } from '../firecracker/transports/ssh-unix.js';
import { tcpConnector } from '../firecracker/transports/tcp.js';
import { unixConnector } from '../firecracker/transports/unix.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { bridgeScript, vmPaths } from './vm-host-scripts.js';
import type { VmPaths } from './vm-host-scripts.js';

export interface VmHost {
  hostId: string;
  label: string;
  address: string;
  transport: FirecrackerTransport;
  connection: HostConnection;
  firedeckDir: string;
}

/**
 * One API client per VM socket, over the transport its host uses. ssh-unix is the default;
 * when a host's sshd forbids stream-local forwarding, its VMs are reached through a socat
 * bridge on the host's loopback instead (ssh-tcp), started on demand.
 */
export interface VmClients {
  clientFor(host: VmHost, id: string, knownBridgePort?: number): Promise<FirecrackerClient>;
  drop(ref: { hostId: string; id: string }): Promise<void>;
  closeAll(): Promise<void>;
}

export function createVmClients(): VmClients {
  // Promises, so that two callers at once (the poll and a user action) share one client
  // instead of each opening a connection, and on ssh-tcp hosts each starting a bridge.
  const clients = new Map<string, Promise<FirecrackerClient>>();
  const streamLocalForbidden = new Set<string>();
  const key = (hostId: string, id: string) => `${hostId}/${id}`;

  async function startBridge(host: VmHost, paths: VmPaths): Promise<number> {
    const bind = host.transport === 'tcp' ? '0.0.0.0' : '127.0.0.1';
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = randomInt(20_000, 61_000);
      const result = await host.connection.exec(bridgeScript(paths, port, bind), { timeoutMs: 15_000 });
      if (result.exitCode === 0) return port;
    }
    throw new AppError('BRIDGE_FAILED', `socat could not listen on ${host.label} for the API bridge.`, { remedy: 'Check that socat is installed on the host (the setup wizard installs it).' });
  }

  return {
    clientFor(host, id, knownBridgePort) {
      const k = key(host.hostId, id);
      let pending = clients.get(k);
      if (!pending) {
        pending = open(host, id, knownBridgePort);
        clients.set(k, pending);
        pending.catch(() => clients.delete(k));
      }
      return pending;
    },
    async drop(ref) {
      const pending = clients.get(key(ref.hostId, ref.id));
      clients.delete(key(ref.hostId, ref.id));
      await pending?.then((c) => c.close()).catch(() => {});
    },
    async closeAll() {
      const all = [...clients.values()];
      clients.clear();
      await Promise.all(all.map((p) => p.then((c) => c.close()).catch(() => {})));
    },
  };

  async function open(host: VmHost, id: string, knownBridgePort?: number): Promise<FirecrackerClient> {
    const paths = vmPaths(host.firedeckDir, id);
    const make = (connector: ApiConnector) => createFirecrackerClient({ connector, name: `${id} on ${host.label}` });
    let client: FirecrackerClient | undefined;
    if (host.transport === 'unix') client = make(unixConnector(paths.socket));
    if (host.transport === 'ssh-unix' && !streamLocalForbidden.has(host.hostId)) {
      const candidate = make(sshUnixConnector(host.connection, paths.socket));
      try {
        await candidate.describeInstance({ timeoutMs: 5_000 });
        client = candidate;
      } catch (error) {
        await candidate.close();
        if (!(error instanceof AppError && error.code === 'STREAMLOCAL_FORBIDDEN')) throw error;
        streamLocalForbidden.add(host.hostId);
      }
    }
    if (!client) {
      const port = knownBridgePort ?? (await startBridge(host, paths));
      client = make(host.transport === 'tcp' ? tcpConnector(host.address, port) : sshTcpConnector(host.connection, port));
    }
    return client;
  }
}
