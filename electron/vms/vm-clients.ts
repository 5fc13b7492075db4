import { randomInt } from 'node:crypto';
import type { FirecrackerTransport } from '../../shared/channels/hosts.js';
import { AppError } from '../app-error.js';
import { createFirecrackerClient } from '../firecracker/client.js';
import type { ApiConnector, FirecrackerClient } from '../firecracker/client.js';
import { createSshTransportChoice } from '../firecracker/transports/ssh-choice.js';
import { tcpConnector } from '../firecracker/transports/tcp.js';
import { unixConnector } from '../firecracker/transports/unix.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { runHostScript } from '../ssh/host-script.js';
import { vmPaths } from './vm-paths.js';
import { vmBridge, vmKill } from './vm-scripts.js';

export interface VmHost {
  hostId: string;
  label: string;
  address: string;
  transport: FirecrackerTransport;
  connection: HostConnection;
  firedeckDir: string;
}

/**
 * One API client per VM socket, over the transport its host uses: over SSH (stream-local, or the
 * exec relay where sshd forbids forwarding; see ssh-choice.ts), locally (unix), or through a socat
 * port open to the LAN (tcp, which the user chose knowing anyone on the network can drive the VM).
 */
export interface VmClients {
  clientFor(host: VmHost, id: string, knownBridgePort?: number): Promise<FirecrackerClient>;
  /** Closes the VM's client (relay channels end with it). */
  drop(ref: { hostId: string; id: string }): Promise<void>;
  /** Closes the client and, on a tcp host, stops the VM's bridge. */
  closeApi(host: VmHost, id: string): Promise<void>;
  closeAll(): Promise<void>;
}

/**
 * Over the exec relay each API connection is an SSH session, which sshd counts against
 * MaxSessions: idle ones are given back soon instead of being kept for 30 s.
 */
const RELAY_KEEPALIVE_MS = 2_000;

interface Entry {
  client: Promise<FirecrackerClient>;
  overRelay: boolean;
}

export function createVmClients(options: { noteTransport(hostId: string, inUse: FirecrackerTransport, reason: string): void }): VmClients {
  // Promises, so that two callers at once (the poll and a user action) share one client instead
  // of each opening a connection, and on tcp hosts each starting a bridge.
  const clients = new Map<string, Entry>();
  const choice = createSshTransportChoice({ onDecided: (hostId, transport, reason) => options.noteTransport(hostId, transport, reason) });
  const key = (hostId: string, id: string) => `${hostId}/${id}`;

  async function startBridge(host: VmHost, id: string): Promise<number> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = randomInt(20_000, 61_000);
      const result = await runHostScript(host.connection, vmBridge, [vmPaths(host.firedeckDir, id).dir, port], { timeoutMs: 15_000 });
      if (result.outcome === 'ok') return port;
    }
    throw new AppError('BRIDGE_FAILED', `socat could not listen on ${host.label} for the API bridge: five random ports were all taken.`, { remedy: 'Try again; check which ports are in use on the host.' });
  }

  function connectorFor(host: VmHost, id: string, bridgePort: number | undefined): { connector: ApiConnector | Promise<ApiConnector>; overRelay: boolean } {
    const socket = vmPaths(host.firedeckDir, id).socket;
    if (host.transport === 'unix') {
      options.noteTransport(host.hostId, 'unix', 'Firedeck runs on the host itself');
      return { connector: unixConnector(socket), overRelay: false };
    }
    if (host.transport === 'tcp') {
      options.noteTransport(host.hostId, 'tcp', 'chosen in the host’s settings: the API port is open to the network, without authentication');
      return { connector: (bridgePort !== undefined ? Promise.resolve(bridgePort) : startBridge(host, id)).then((port) => tcpConnector(host.address, port)), overRelay: false };
    }
    const preferred = host.transport === 'ssh-exec' ? 'ssh-exec' : 'ssh-unix';
    return {
      connector: choice.connector({ hostId: host.hostId, label: host.label, connection: host.connection, preferred }, socket),
      overRelay: preferred === 'ssh-exec' || choice.decided(host.hostId) === 'ssh-exec',
    };
  }

  async function drop(ref: { hostId: string; id: string }) {
    const entry = clients.get(key(ref.hostId, ref.id));
    clients.delete(key(ref.hostId, ref.id));
    await entry?.client.then((c) => c.close()).catch(() => {});
  }

  return {
    clientFor(host, id, knownBridgePort) {
      const k = key(host.hostId, id);
      let entry = clients.get(k);
      // A client made before the host turned out to need the relay keeps idle sessions too long.
      if (entry && !entry.overRelay && choice.decided(host.hostId) === 'ssh-exec') {
        void drop({ hostId: host.hostId, id });
        entry = undefined;
      }
      if (!entry) {
        const { connector, overRelay } = connectorFor(host, id, knownBridgePort);
        const client = Promise.resolve(connector).then((c) =>
          createFirecrackerClient({ connector: c, name: `${id} on ${host.label}`, ...(overRelay ? { keepAliveMs: RELAY_KEEPALIVE_MS } : {}) }),
        );
        entry = { client, overRelay };
        clients.set(k, entry);
        const created = entry;
        client.catch(() => {
          if (clients.get(k) === created) clients.delete(k);
        });
      }
      return entry.client;
    },
    drop,
    async closeApi(host, id) {
      await drop({ hostId: host.hostId, id });
      if (host.transport === 'tcp') await runHostScript(host.connection, vmKill, [vmPaths(host.firedeckDir, id).dir, 'bridge'], { timeoutMs: 15_000 });
    },
    async closeAll() {
      const all = [...clients.values()];
      clients.clear();
      await Promise.all(all.map((e) => e.client.then((c) => c.close()).catch(() => {})));
    },
  };
}
