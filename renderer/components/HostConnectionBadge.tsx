import type { ConnectionState } from '../../shared/channels/hosts';
import { connectionLabel } from '../store/hosts-slice';

const tone: Record<ConnectionState['state'], string> = {
  connected: 'ok',
  connecting: 'pending',
  reconnecting: 'pending',
  failed: 'error',
  disconnected: 'idle',
};

/** A host's SSH connection state as a coloured dot and a word (not the backend connection: see renderer/api's ConnectionStatus). */
export function HostConnectionBadge({ connection }: { connection: ConnectionState }) {
  return (
    <span className={`connection connection-${tone[connection.state]}`}>
      <span className="dot" aria-hidden="true" />
      {connectionLabel(connection)}
    </span>
  );
}
