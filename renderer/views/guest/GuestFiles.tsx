import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { GuestSyncPreview } from '../../../shared/channels/guest';
import type { AppErrorShape } from '../../../shared/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAppStore } from '../../store/context';
import { guestKey } from '../../store/guest-slice';
import type { GuestTransfer } from '../../store/guest-slice';

const NONE: never[] = [];
/** Paths the confirm dialog names; the rest is a count. */
const SHOWN_PATHS = 10;

/** Copies between the VM's workspace and the guest, and a one-way sync into the guest. */
export function GuestFiles({ hostId, vmId }: { hostId: string; vmId: string }) {
  const vm = { hostId, id: vmId };
  const [workspaceId, setWorkspaceId] = useState(vmId);
  const [path, setPath] = useState('');
  const [guestPath, setGuestPath] = useState('/root/workspace');
  const transfers = useAppStore(useShallow((s) => s.guest.transfers[guestKey(vm)] ?? NONE));
  const transfer = useAppStore((s) => s.guest.transfer);
  const cancel = useAppStore((s) => s.guest.cancelTransfer);
  const previewSync = useAppStore((s) => s.guest.previewSync);
  const [deleteExtraneous, setDeleteExtraneous] = useState(false);
  const [confirm, setConfirm] = useState<{ preview: GuestSyncPreview; request: { workspaceId: string; path: string; guestPath: string } } | undefined>();
  const [previewError, setPreviewError] = useState<AppErrorShape | undefined>();
  const go = (kind: GuestTransfer['kind']) => void transfer(vm, kind, { workspaceId, path, guestPath });
  const sync = async () => {
    setPreviewError(undefined);
    if (!deleteExtraneous) return go('sync');
    // The request is kept as it was previewed: the plan is for these folders only.
    const request = { workspaceId, path, guestPath };
    const result = await previewSync(vm, request);
    if (!result.ok) return setPreviewError(result.error);
    // Nothing only in the guest: a plain sync, no question to ask.
    if (result.preview.toDelete.length === 0) return void transfer(vm, 'sync', request);
    setConfirm({ preview: result.preview, request });
  };

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
        <button type="button" className="button button-small button-primary" onClick={() => void sync()} title="Sends only new and changed files (size and modification time)">
          Sync into guest
        </button>
        <button type="button" className="button button-small" onClick={() => go('copy in')}>
          Copy into guest
        </button>
        <button type="button" className="button button-small" onClick={() => go('copy out')} title="Copies the guest path into the workspace path (a folder)">
          Copy from guest
        </button>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={deleteExtraneous} onChange={(event) => setDeleteExtraneous(event.target.checked)} />
        Delete files that exist only in the VM
      </label>
      {previewError && <ErrorBanner error={previewError} title="Firedeck could not list the guest’s files" onDismiss={() => setPreviewError(undefined)} />}
      {confirm && (
        <Dialog
          title={`Delete ${confirm.preview.toDelete.length} file(s) only in the VM?`}
          tone="danger"
          onClose={() => setConfirm(undefined)}
          footer={
            <>
              <button type="button" className="button" onClick={() => setConfirm(undefined)}>
                Cancel
              </button>
              <button
                type="button"
                className="button button-danger"
                onClick={() => {
                  const { preview, request } = confirm;
                  setConfirm(undefined);
                  void transfer(vm, 'sync', { ...request, planId: preview.planId });
                }}
              >
                Delete and sync
              </button>
            </>
          }
        >
          <p>
            {confirm.preview.toDelete.length} file(s) in {confirm.request.guestPath} have no counterpart in the workspace and will be deleted from the VM. Nothing else is deleted; this list is good for 10 minutes.
          </p>
          <ul className="small" aria-label="Files to delete">
            {confirm.preview.toDelete.slice(0, SHOWN_PATHS).map((p) => (
              <li key={p}>
                <code>{p}</code>
              </li>
            ))}
          </ul>
          {confirm.preview.toDelete.length > SHOWN_PATHS && <p className="small muted">and {confirm.preview.toDelete.length - SHOWN_PATHS} more</p>}
        </Dialog>
      )}
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
