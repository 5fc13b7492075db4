import { useShallow } from 'zustand/react/shallow';
import { HostConnectionBadge } from '../../components/HostConnectionBadge';
import { KvmBadge } from '../../components/KvmBadge';
import { useAppStore } from '../../store/context';
import { selectHostList } from '../../store/hosts-slice';

export function HostList() {
  const hosts = useAppStore(useShallow(selectHostList));
  const busy = useAppStore((s) => s.hosts.busy);
  const errors = useAppStore((s) => s.hosts.errors);
  const { connect, disconnect, select } = useAppStore(useShallow((s) => ({ connect: s.hosts.connect, disconnect: s.hosts.disconnect, select: s.hosts.select })));

  return (
    <table className="table" aria-label="Hosts">
      <thead>
        <tr>
          <th>Host</th>
          <th>Connection</th>
          <th>Arch</th>
          <th>KVM</th>
          <th>Firecracker</th>
          <th aria-label="Actions" />
        </tr>
      </thead>
      <tbody>
        {hosts.map((host) => {
          const connected = host.connection.state === 'connected' || host.connection.state === 'reconnecting';
          const error = errors[host.id] ?? (host.connection.state === 'failed' ? host.connection.error : undefined);
          return (
            <tr key={host.id} aria-label={host.label}>
              <td>
                <button type="button" className="link" onClick={() => select(host.id)}>
                  {host.label}
                </button>
                <div className="muted mono small">
                  {host.user}@{host.address}
                  {host.port !== 22 ? `:${host.port}` : ''}
                </div>
              </td>
              <td>
                <HostConnectionBadge connection={host.connection} />
                {error && <div className="field-error small">{error.message}</div>}
              </td>
              <td className="mono">{host.probe?.arch ?? host.probe?.machine ?? '—'}</td>
              <td>
                <KvmBadge verdict={host.probe?.kvm.verdict} />
              </td>
              <td className="mono small">{host.probe ? (host.probe.firecracker.present ? (host.probe.firecracker.version ?? 'installed') : 'not installed') : '—'}</td>
              <td className="row-actions">
                {connected ? (
                  <button type="button" className="button button-small" disabled={busy[host.id]} onClick={() => void disconnect(host.id)}>
                    Disconnect
                  </button>
                ) : (
                  <button type="button" className="button button-small button-primary" disabled={busy[host.id]} onClick={() => void connect(host.id)}>
                    {busy[host.id] ? 'Connecting…' : 'Connect'}
                  </button>
                )}
                <button type="button" className="button button-small" onClick={() => select(host.id)}>
                  Details
                </button>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
