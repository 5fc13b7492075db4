import type { HostSummary } from '../../../shared/channels/hosts';
import { HostConnectionBadge } from '../../components/HostConnectionBadge';
import { useAppStore } from '../../store/context';

const authLabel = (host: HostSummary) =>
  host.auth.method === 'key' ? `Key file ${host.auth.keyPath}` : host.auth.method === 'agent' ? `SSH agent${host.auth.agentSocket ? ` (${host.auth.agentSocket})` : ''}` : 'Password';

/** How Firedeck reaches the host: state, credentials, jump host, and the API transport really in use. */
export function ConnectionCard({ host }: { host: HostSummary }) {
  const forgetSecret = useAppStore((s) => s.hosts.forgetSecret);
  const transport = host.apiTransport;
  const lastSeen = host.connection.state !== 'connected' && host.lastConnectedAt ? new Date(host.lastConnectedAt).toLocaleString() : undefined;
  return (
    <section className="card" aria-labelledby="connection-heading">
      <h2 id="connection-heading">Connection</h2>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <HostConnectionBadge connection={host.connection} />
        </dd>
        {lastSeen && (
          <>
            <dt>Last seen</dt>
            <dd>{lastSeen}</dd>
          </>
        )}
        <dt>Authentication</dt>
        <dd className="mono small">{authLabel(host)}</dd>
        {host.proxyJump && (
          <>
            <dt>Jump host</dt>
            <dd className="mono small">{host.proxyJump}</dd>
          </>
        )}
        <dt>API transport</dt>
        <dd aria-label="API transport">
          <span className="mono small">{transport?.inUse ?? host.transport}</span>
          {transport && transport.inUse !== transport.configured && (
            <span className="small">
              {' '}
              in use instead of <span className="mono">{transport.configured}</span>
              {transport.reason ? `: ${transport.reason}` : ''}
            </span>
          )}
          {!transport && <span className="muted small"> (configured; in use once a microVM’s API is reached)</span>}
        </dd>
      </dl>
      {host.secretRemembered && (
        <button type="button" className="button button-small" onClick={() => void forgetSecret(host.id)}>
          Forget remembered password
        </button>
      )}
    </section>
  );
}
