import type { ConnectionState } from '../../shared/channels/hosts';
import { connectionLabel } from '../store/hosts-slice';

const tone: Record<ConnectionState['state'], string> = {
  connected: 'ok',
  connecting: 'pending',
  reconnecting: 'pending',
  failed: 'error',
  disconnected: 'idle',
};

export function ConnectionStatus({ connection }: { connection: ConnectionState }) {
  return (
    <span className={`connection connection-${tone[connection.state]}`}>
      <span className="dot" aria-hidden="true" />
      {connectionLabel(connection)}
    </span>
  );
}
