import { AppError } from '../../app-error.js';
import type { HostConnection } from '../../ssh/host-connection.js';
import type { ApiConnector } from '../client.js';
import { ApiSocketDead, detectRelayTool, relayMissing, sshExecConnector } from './ssh-exec.js';
import type { RelayTool } from './ssh-exec.js';
import { sshUnixConnector, StreamLocalOpenFailed } from './ssh-unix.js';

export type SshApiTransport = 'ssh-unix' | 'ssh-exec';

export interface SshHost {
  hostId: string;
  /** For messages: "build-01". */
  label: string;
  connection: HostConnection;
  /** `ssh-unix`: stream-local where sshd allows it, else the exec relay; `ssh-exec`: always the relay. */
  preferred: SshApiTransport;
}

/**
 * Decides, per host and per SSH connection, how API sockets are reached: stream-local channels
 * (ssh-unix) while sshd opens them, the exec relay (ssh-exec) where it forbids them. The decision
 * comes from what sshd answers, never from one VM: sshd refusing a socket that the relay finds
 * accepting connections means forwarding is off; a socket that refuses the relay too is that VM's
 * problem, and the host stays as it was. sshd reads its forwarding rules once per connection, so
 * a reconnect decides again.
 */
export interface SshTransportChoice {
  connector(host: SshHost, socketPath: string): ApiConnector;
  /** What the host's current connection uses, once known. */
  decided(hostId: string): SshApiTransport | undefined;
}

interface HostState {
  /** The connection this decision belongs to (its `since`): a reconnect starts afresh. */
  generation: string;
  decided?: SshApiTransport;
  relay?: Promise<RelayTool | null>;
}

export function createSshTransportChoice(options: {
  /** Called when a host's transport is decided (again, after a reconnect), with why. */
  onDecided(hostId: string, transport: SshApiTransport, reason: string): void;
}): SshTransportChoice {
  const states = new Map<string, HostState>();

  const generationOf = (connection: HostConnection) => (connection.state.state === 'connected' ? connection.state.since : 'not-connected');

  function stateOf(host: SshHost): HostState {
    const generation = generationOf(host.connection);
    let state = states.get(host.hostId);
    if (!state || state.generation !== generation) {
      state = { generation };
      states.set(host.hostId, state);
    }
    return state;
  }

  function decide(host: SshHost, state: HostState, transport: SshApiTransport, reason: string) {
    if (states.get(host.hostId) !== state || state.decided === transport) return;
    state.decided = transport;
    options.onDecided(host.hostId, transport, reason);
  }

  async function relayed(host: SshHost, state: HostState, socketPath: string) {
    state.relay ??= detectRelayTool(host.connection).catch((error: unknown) => {
      state.relay = undefined; // a failed look-up (a dropped connection) is asked again next time
      throw error;
    });
    const tool = await state.relay;
    if (!tool) throw relayMissing(host.label);
    return { tool, stream: await sshExecConnector(host.connection, socketPath, tool, host.label)() };
  }

  return {
    decided: (hostId) => states.get(hostId)?.decided,
    connector(host, socketPath) {
      return async () => {
        const state = stateOf(host);
        if (host.preferred === 'ssh-exec' || state.decided === 'ssh-exec') {
          const { tool, stream } = await relayed(host, state, socketPath);
          decide(host, state, 'ssh-exec', host.preferred === 'ssh-exec' ? `chosen in the host’s settings; API calls go through ${tool} on SSH exec channels` : `sshd forbids stream-local forwarding; API calls go through ${tool} on SSH exec channels`);
          return stream;
        }
        try {
          const stream = await sshUnixConnector(host.connection, socketPath)();
          decide(host, state, 'ssh-unix', 'sshd opens the API sockets (stream-local forwarding)');
          return stream;
        } catch (error) {
          if (!(error instanceof StreamLocalOpenFailed)) throw error;
          if (state.decided === 'ssh-unix') throw new ApiSocketDead(socketPath, false); // sshd opened others: this socket is dead
          if (!error.prohibited) {
            // Ambiguous: ask the socket itself, through the relay.
            try {
              const { tool, stream } = await relayed(host, state, socketPath);
              decide(host, state, 'ssh-exec', `sshd refused to open an API socket that accepts connections (stream-local forwarding is off); API calls go through ${tool} on SSH exec channels`);
              return stream;
            } catch (relayError) {
              if (relayError instanceof ApiSocketDead) throw relayError;
              if (relayError instanceof AppError && relayError.code === 'API_RELAY_MISSING') {
                throw new AppError('FIRECRACKER_UNREACHABLE', `sshd on ${host.label} would not open the API socket ${socketPath}: either its Firecracker is not answering or sshd forbids stream-local forwarding, and the host has no socat, python3 or perl to tell which.`, {
                  remedy: 'Install socat on the host (the setup wizard does), then refresh.',
                  cause: error,
                });
              }
              throw relayError;
            }
          }
          const { tool, stream } = await relayed(host, state, socketPath);
          decide(host, state, 'ssh-exec', `sshd forbids stream-local forwarding (administratively prohibited); API calls go through ${tool} on SSH exec channels`);
          return stream;
        }
      };
    },
  };
}
