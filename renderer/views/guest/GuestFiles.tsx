import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store/context';
import { guestKey } from '../../store/guest-slice';
import type { GuestTransfer } from '../../store/guest-slice';

const NONE: never[] = [];

/** Copies between the VM's workspace and the guest, and a one-way sync into the guest. */
export function GuestFiles({ hostId, vmId }: { hostId: string; vmId: string }) {
  const vm = { hostId, id: vmId };
  const [workspaceId, setWorkspaceId] = useState(vmId);
  const [path, setPath] = useState('');
  const [guestPath, setGuestPath] = useState('/root/workspace');
  const transfers = useAppStore(useShallow((s) => s.guest.transfers[guestKey(vm)] ?? NONE));
  const transfer = useAppStore((s) => s.guest.transfer);
  const cancel = useAppStore((s) => s.guest.cancelTransfer);
  const go = (kind: GuestTransfer['kind']) => void transfer(vm, kind, { workspaceId, path, guestPath });

  return (
    <div className="guest-files">
      <div className="guest-grid">
        <label htmlFor={`ws-${vmId}`}>Workspace</label>
        <input id={`ws-${vmId}`} className="guest-input" value={workspaceId} onChange={(e) => setWorkspaceId(e.target.value)} />
        <label htmlFor={`wp-${vmId}`}>Workspace path</label>
        <input id={`wp-${vmId}`} className="guest-input" placeholder="(the whole workspace)" value={path} onChange={(e) => setPath(e.target.value)} />
        <label htmlFor={`gp-${vmId}`}>Guest path</label>
        <input id={`gp-${vmId}`} className="guest-input" value={guestPath} onChange={(e) => setGuestPath(e.target.value)} />
      </div>
      <div className="guest-row">
        <button type="button" className="button button-small button-primary" onClick={() => go('sync')} title="Sends only new and changed files (size and modification time)">
          Sync into guest
        </button>
        <button type="button" className="button button-small" onClick={() => go('copy in')}>
          Copy into guest
        </button>
        <button type="button" className="button button-small" onClick={() => go('copy out')} title="Copies the guest path into the workspace path (a folder)">
          Copy from guest
        </button>
      </div>
      {transfers.map((t) => (
        <div key={t.transferId} className="guest-transfer" aria-label={`${t.kind} transfer`}>
          <span className="small">{t.kind}</span>
          {t.state === 'running' ? (
            <>
              <progress max={t.total || 1} value={t.sent} />
              <button type="button" className="button button-small" onClick={() => void cancel(t.transferId)}>
                Cancel
              </button>
            </>
          ) : (
            <span className={`small ${t.state === 'failed' ? 'field-error' : 'muted'}`} role="status">
              {t.message}
            </span>
          )}
        </div>
      ))}
    </div>
  );
}
