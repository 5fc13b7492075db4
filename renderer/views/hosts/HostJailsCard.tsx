import { useEffect } from 'react';
import type { HostSummary } from '../../../shared/channels/hosts';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAppStore } from '../../store/context';

/** The host page's jails: each jail the privileged helper holds for the SSH user, and what was swept at connect. */
export function HostJailsCard({ host }: { host: HostSummary }) {
  const list = useAppStore((s) => s.jail.lists[host.id]);
  const error = useAppStore((s) => s.jail.errors[host.id]);
  const swept = useAppStore((s) => s.jail.swept[host.id]);
  const load = useAppStore((s) => s.jail.load);
  const vmCount = useAppStore((s) => Object.values(s.vms.byKey).filter((vm) => vm.hostId === host.id).length);

  useEffect(() => {
    void load(host.id);
  }, [host.id, load, vmCount]);

  return (
    <section className="card" aria-labelledby={`jails-${host.id}`}>
      <div className="editor-header">
        <h2 id={`jails-${host.id}`}>MicroVM jails</h2>
        <button type="button" className="link small" onClick={() => void load(host.id)}>
          Refresh
        </button>
      </div>
      {!list && !error && <p className="muted">Reading the host’s jails…</p>}
      {error && <ErrorBanner error={error} />}
      {swept && swept.length > 0 && (
        <p role="status" className="muted">
          Removed at connect, because their run directories were gone: <span className="mono">{swept.join(', ')}</span>
        </p>
      )}
      {/* The networks card above already warns about the helper; here it only explains the empty list. */}
      {list?.problem && <p className="muted">{list.problem.message}</p>}
      {list && !list.problem && list.jails.length === 0 && <p className="muted">No microVM runs jailed on this host.</p>}
      {list && list.jails.length > 0 && (
        <table className="table" aria-label="MicroVM jails">
          <thead>
            <tr>
              <th scope="col">MicroVM</th>
              <th scope="col">Process</th>
              <th scope="col">Run directory</th>
            </tr>
          </thead>
          <tbody>
            {list.jails.map((jail) => (
              <tr key={jail.vmId}>
                <td className="mono">{jail.vmId}</td>
                <td>{jail.alive ? 'running' : 'none'}</td>
                <td>{jail.runDirExists ? 'present' : 'gone (removed at the next connect)'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
