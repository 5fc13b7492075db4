import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { HostSummary } from '../../../shared/channels/hosts';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAppStore } from '../../store/context';
import '../../styles/network.css';

/** The host page's networks panel: the helper's state, the pool, and each microVM network found on the host. */
export function HostNetworksPanel({ host }: { host: HostSummary }) {
  const list = useAppStore((s) => s.network.lists[host.id]);
  const error = useAppStore((s) => s.network.errors[host.id]);
  const { loadList } = useAppStore(useShallow((s) => ({ loadList: s.network.loadList })));
  const vmCount = useAppStore((s) => Object.values(s.vms.byKey).filter((vm) => vm.hostId === host.id).length);

  useEffect(() => {
    void loadList(host.id);
  }, [host.id, loadList, vmCount]);

  const helper = list?.helper;
  return (
    <section className="card host-networks" aria-labelledby={`networks-${host.id}`}>
      <div className="editor-header">
        <h2 id={`networks-${host.id}`}>MicroVM networks</h2>
        <button type="button" className="link small" onClick={() => void loadList(host.id)}>
          Refresh
        </button>
      </div>
      {!list && !error && <p className="muted">Reading the host’s networks…</p>}
      {error && !list && <ErrorBanner error={error} />}
      {list && (
        <>
          <dl className="facts">
            <dt>Network helper</dt>
            <dd>{helper?.verified ? `verified (version ${helper.version ?? '?'})` : helper?.installed ? 'installed, not usable' : 'not installed'}</dd>
            <dt>Address pool</dt>
            <dd className="mono">
              {list.pool} — {list.used} of {list.capacity} blocks in use
            </dd>
            <dt>DNS for guests</dt>
            <dd className="mono">{list.dns.length > 0 ? list.dns.join(', ') : '—'}</dd>
          </dl>
          {helper?.problem && <ErrorBanner tone="warning" error={helper.problem} />}
          {list.poolConflicts.length > 0 && (
            <ErrorBanner error={{ message: `The pool ${list.pool} overlaps routes of this host: ${list.poolConflicts.join(', ')}.`, remedy: 'Choose another pool in Settings → Network.' }} />
          )}
          {list.networks.length === 0 ? (
            <p className="muted">{helper?.verified ? 'No microVM has a network on this host.' : 'Without the helper no microVM here has a network.'}</p>
          ) : (
            <table className="table" aria-label="MicroVM networks">
              <thead>
                <tr>
                  <th scope="col">MicroVM</th>
                  <th scope="col">Host reaches it at</th>
                  <th scope="col">Namespace</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {list.networks.map((n) => (
                  <tr key={n.vmId}>
                    <td className="mono">{n.vmId}</td>
                    <td className="mono">{n.hostAddress ?? '—'}</td>
                    <td className="mono">{n.netns}</td>
                    <td>{!n.vmDirExists ? 'left over (its microVM is gone; repaired at the next connect)' : n.complete ? 'up' : 'incomplete'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
