import { useState } from 'react';
import type { HostSummary } from '../../../shared/channels/hosts';
import { useAppStore } from '../../store/context';

/** Removing a host asks once more; nothing on the host itself changes. */
export function RemoveHostCard({ host }: { host: HostSummary }) {
  const remove = useAppStore((s) => s.hosts.remove);
  const [confirming, setConfirming] = useState(false);
  return (
    <section className="card danger-zone" aria-labelledby="remove-heading">
      <h2 id="remove-heading">Remove host</h2>
      <p className="muted">Firedeck forgets this host and its remembered password. Nothing on the host is changed; its microVMs keep running.</p>
      {confirming ? (
        <div className="form-actions">
          <button type="button" className="button button-danger" onClick={() => void remove(host.id)}>
            Remove {host.label}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <button type="button" className="button" onClick={() => setConfirming(true)}>
          Remove host…
        </button>
      )}
    </section>
  );
}
