import type { Duplex } from 'node:stream';
import apiRelayDetectSource from '../../host-scripts/api-relay-detect.sh';
import apiRelaySource from '../../host-scripts/api-relay.sh';
import { AppError } from '../../app-error.js';
import type { HostConnection } from '../../ssh/host-connection.js';
import { hostScript, runHostScript } from '../../ssh/host-script.js';
import type { ApiConnector } from '../client.js';
import { openScriptStream, ScriptExit } from '../script-stream.js';

/** What a host has to relay a stdio stream to a Unix socket (api-relay-detect.sh). */
export type RelayTool = 'socat' | 'python3' | 'perl';

const relayDetect = hostScript({ name: 'api-relay-detect', source: apiRelayDetectSource, what: 'Looking for an API relay tool', outcomes: { 3: 'none' } });

/** TOOL SOCKET (the marker is added by openScriptStream). */
const apiRelay = hostScript({ name: 'api-relay', source: apiRelaySource, what: 'Relaying the Firecracker API', outcomes: { 3: 'no-socket', 4: 'refused', 5: 'no-tool' } });

/** The relay tool the host has, or null when it has none. */
export async function detectRelayTool(connection: HostConnection): Promise<RelayTool | null> {
  const result = await runHostScript(connection, relayDetect, [], { timeoutMs: 15_000 });
  const tool = /^relay=(socat|python3|perl)$/m.exec(result.output)?.[1] as RelayTool | undefined;
  return result.outcome === 'ok' && tool ? tool : null;
}

export function relayMissing(hostName: string): AppError {
  return new AppError('API_RELAY_MISSING', `${hostName} forbids SSH forwarding and has none of socat, python3 or perl to relay the Firecracker API.`, {
    remedy: 'Install socat on the host (the setup wizard does), or allow stream-local forwarding in its sshd_config (AllowStreamLocalForwarding yes).',
  });
}

/** The VM's API socket is there but refuses connections, or is gone: its Firecracker is not answering. */
export class ApiSocketDead extends AppError {
  constructor(socketPath: string, missing: boolean) {
    super(
      'FIRECRACKER_UNREACHABLE',
      missing ? `The API socket ${socketPath} is gone: the VM’s Firecracker is not running.` : `The API socket ${socketPath} refuses connections: the VM’s Firecracker is not answering.`,
      { remedy: 'Refresh the list; stop the VM and start it again if it stays so.' },
    );
  }
}

/**
 * For hosts whose sshd forbids forwarding: each API connection is an SSH exec channel running
 * api-relay.sh, which relays the channel's stdio to the VM's API socket. No port is opened, it
 * works with AllowStreamLocalForwarding and AllowTcpForwarding both off, and the relay ends with
 * its channel. Each such channel is an SSH session (MaxSessions counts it), so clients over it
 * should not keep idle connections long.
 */
export function sshExecConnector(connection: HostConnection, socketPath: string, tool: RelayTool, hostName: string): ApiConnector {
  return async () => {
    try {
      return (await openScriptStream(connection, apiRelay, [tool, socketPath], { timeoutMs: 15_000 })) as Duplex;
    } catch (error) {
      if (!(error instanceof ScriptExit)) throw error;
      if (error.outcome === 'no-socket' || error.outcome === 'refused') throw new ApiSocketDead(socketPath, error.outcome === 'no-socket');
      if (error.outcome === 'no-tool') throw relayMissing(hostName);
      throw new AppError('FIRECRACKER_UNREACHABLE', `The API relay on ${hostName} failed: ${error.message}.`, { remedy: 'Check that the VM is running, then try again.', cause: error });
    }
  };
}
