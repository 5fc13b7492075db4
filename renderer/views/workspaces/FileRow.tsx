import { useState } from 'react';
import type { WorkspaceEntry } from '../../../shared/channels/workspaces';
import { Icon } from '../../components/Icon';
import { formatSize } from '../../format';
import { useAppStore } from '../../store/context';

/** One entry of the folder: open it, rename it, or delete it (after a second click). */
export function FileRow({ entry, selected, onRename }: { entry: WorkspaceEntry; selected: boolean; onRename(): void }) {
  const openDir = useAppStore((s) => s.workspaces.openDir);
  const open = useAppStore((s) => s.workspaces.open);
  const remove = useAppStore((s) => s.workspaces.delete);
  const [confirming, setConfirming] = useState(false);
  return (
    <li className={selected ? 'selected' : undefined}>
      <button type="button" className="file-name" onClick={() => void (entry.kind === 'dir' ? openDir(entry.path) : open(entry.path))}>
        <Icon name={entry.kind === 'dir' ? 'workspaces' : 'file'} size={16} />
        {entry.name}
        {entry.kind === 'symlink' && <span className="muted small"> (link)</span>}
      </button>
      <span className="muted small">{entry.kind === 'dir' ? '' : formatSize(entry.size)}</span>
      <span className="file-actions">
        <button type="button" className="link small" onClick={onRename} aria-label={`Rename ${entry.name}`}>
          Rename
        </button>
        {confirming ? (
          <button type="button" className="link small danger" onClick={() => void remove(entry.path).finally(() => setConfirming(false))}>
            Confirm delete
          </button>
        ) : (
          <button type="button" className="link small" onClick={() => setConfirming(true)} aria-label={`Delete ${entry.name}`}>
            Delete
          </button>
        )}
      </span>
    </li>
  );
}
