import { useShallow } from 'zustand/react/shallow';
import type { HostSummary } from '../../../shared/channels/hosts';
import { DataTable } from '../../components/DataTable';
import type { Column } from '../../components/DataTable';
import { KvmBadge } from '../../components/KvmBadge';
import { HostConnectionBadge } from '../../components/HostConnectionBadge';
import { useAppStore } from '../../store/context';
import { hostFailure, selectHostList } from '../../store/hosts-slice';

export function HostList() {
  const hosts = useAppStore(useShallow(selectHostList));
  const busy = useAppStore((s) => s.hosts.busy);
  const errors = useAppStore((s) => s.hosts.errors);
  const { connect, disconnect, select } = useAppStore(useShallow((s) => ({ connect: s.hosts.connect, disconnect: s.hosts.disconnect, select: s.hosts.select })));

  const columns: Column<HostSummary>[] = [
    {
      header: 'Host',
      cell: (host) => (
        <>
          <button type="button" className="link" onClick={() => select(host.id)}>
            {host.label}
          </button>
          <div className="muted mono small">
            {host.user}@{host.address}
            {host.port !== 22 ? `:${host.port}` : ''}
          </div>
        </>
      ),
    },
    {
      header: 'Connection',
      cell: (host) => {
        const failure = hostFailure(host, errors[host.id]);
        const lastSeen = host.connection.state !== 'connected' && host.lastConnectedAt;
        return (
          <>
            <HostConnectionBadge connection={host.connection} />
            {failure && <div className={host.connection.state === 'disconnected' && !errors[host.id] ? 'field-hint small' : 'field-error small'}>{failure.message}</div>}
            {lastSeen && <div className="muted small">Last seen {new Date(lastSeen).toLocaleString()}</div>}
          </>
        );
      },
    },
    { header: 'Arch', className: 'mono', cell: (host) => host.probe?.arch ?? host.probe?.machine ?? '—' },
    { header: 'KVM', cell: (host) => <KvmBadge verdict={host.probe?.kvm.verdict} /> },
    {
      header: 'Firecracker',
      className: 'mono small',
      cell: (host) => (host.probe ? (host.probe.firecracker.present ? (host.probe.firecracker.version ?? 'installed') : 'not installed') : '—'),
    },
    {
      header: 'Actions',
      hideHeader: true,
      className: 'row-actions',
      cell: (host) => (
        <>
          {host.connection.state === 'connected' || host.connection.state === 'reconnecting' ? (
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
        </>
      ),
    },
  ];

  return <DataTable label="Hosts" columns={columns} rows={hosts} rowKey={(h) => h.id} rowLabel={(h) => h.label} />;
}
