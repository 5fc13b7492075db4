import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store/context';
import { selectHostList } from '../../store/hosts-slice';
import { formatSize } from '../../format';

/** Sends the file chosen in the list (text or not) to a connected host, with progress and cancel. */
export function PushPanel() {
  const file = useAppStore((s) => s.workspaces.selectedPath);
  const hosts = useAppStore(useShallow((s) => selectHostList(s).filter((h) => h.connection.state === 'connected')));
  const transfers = useAppStore(useShallow((s) => Object.values(s.workspaces.transfers)));
  const { push, cancelPush } = useAppStore(useShallow((s) => ({ push: s.workspaces.push, cancelPush: s.workspaces.cancelPush })));
  const [hostId, setHostId] = useState('');
  const chosen = hosts.find((h) => h.id === hostId) ?? hosts[0];

  return (
    <section className="card" aria-labelledby="push-heading">
      <h2 id="push-heading">Push to a host</h2>
      {hosts.length === 0 ? (
        <p className="muted">Connect to a host (Hosts view) to copy workspace files to it.</p>
      ) : (
        <>
          <label className="field">
            <span className="field-label">Host</span>
            <select value={chosen?.id ?? ''} onChange={(event) => setHostId(event.target.value)}>
              {hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.label} ({h.address})
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="button button-primary" disabled={!file || !chosen} onClick={() => file && chosen && void push(file, chosen.id)}>
            {file ? `Push ${file}` : 'Choose a file to push it'}
          </button>
          <p className="field-hint">Lands in ~/.firedeck/workspaces on the host, checked by SHA-256 before it replaces anything.</p>
        </>
      )}
      {transfers.map((t) => (
        <div key={t.transferId} className="progress-row" role="status" aria-label={`Push of ${t.path}`}>
          <span className="small">
            {t.path}: {t.state === 'running' ? `${formatSize(t.sent)} of ${formatSize(t.total)}` : t.state === 'done' ? `pushed to ${t.result?.remotePath}` : t.error?.message}
          </span>
          {t.state === 'running' && (
            <>
              <progress value={t.sent} max={Math.max(t.total, 1)} />
              <button type="button" className="button button-small" onClick={() => void cancelPush(t.transferId)}>
                Cancel
              </button>
            </>
          )}
        </div>
      ))}
    </section>
  );
}
