import { useState } from 'react';
import type { DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { WorkspaceEntry } from '../../../shared/channels/workspaces';
import { Icon } from '../../components/Icon';
import { formatSize } from '../../format';
import { useAppStore } from '../../store/context';
import { joinPath } from '../../store/workspaces-slice';
import { FileEditor } from './FileEditor';
import { PushPanel } from './PushPanel';
import { ErrorBanner } from '../../components/ErrorBanner';

type Ask = { kind: 'file' } | { kind: 'folder' } | { kind: 'rename'; entry: WorkspaceEntry } | null;

export function FileBrowser({ workspaceId }: { workspaceId: string }) {
  const { dir, entries, error, uploads, openFile } = useAppStore(
    useShallow((s) => ({ dir: s.workspaces.dir, entries: s.workspaces.entries, error: s.workspaces.error, uploads: s.workspaces.uploads, openFile: s.workspaces.openFile })),
  );
  const actions = useAppStore(
    useShallow((s) => ({
      openDir: s.workspaces.openDir,
      open: s.workspaces.open,
      createFile: s.workspaces.createFile,
      createFolder: s.workspaces.createFolder,
      rename: s.workspaces.rename,
      remove: s.workspaces.delete,
      upload: s.workspaces.upload,
      dismissError: s.workspaces.dismissError,
    })),
  );
  const [ask, setAsk] = useState<Ask>(null);
  const [name, setName] = useState('');
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const crumbs = dir === '' ? [] : dir.split('/');

  function submitName() {
    const value = name.trim();
    if (!value || !ask) return;
    if (ask.kind === 'file') void actions.createFile(value);
    else if (ask.kind === 'folder') void actions.createFolder(value);
    else void actions.rename(ask.entry.path, joinPath(dir, value));
    setAsk(null);
    setName('');
  }

  function drop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) void actions.upload(files);
  }

  return (
    <div className="workspace">
      <div
        className={`card file-browser${dragging ? ' dropping' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
        aria-label="Files"
        role="region"
      >
        <div className="browser-toolbar">
          <nav aria-label="Folder" className="crumbs">
            <button type="button" className="link" onClick={() => void actions.openDir('')}>
              {workspaceId}
            </button>
            {crumbs.map((crumb, i) => (
              <span key={i}>
                {' / '}
                <button type="button" className="link" onClick={() => void actions.openDir(crumbs.slice(0, i + 1).join('/'))}>
                  {crumb}
                </button>
              </span>
            ))}
          </nav>
          <div className="toolbar-actions">
            <button type="button" className="button button-small" onClick={() => setAsk({ kind: 'file' })}>
              New file
            </button>
            <button type="button" className="button button-small" onClick={() => setAsk({ kind: 'folder' })}>
              New folder
            </button>
          </div>
        </div>

        {error && <ErrorBanner error={error} onDismiss={actions.dismissError} />}

        {ask && (
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              submitName();
            }}
          >
            <label>
              {ask.kind === 'file' ? 'New file name' : ask.kind === 'folder' ? 'New folder name' : `Rename ${ask.entry.name} to`}
              <input value={name} onChange={(event) => setName(event.target.value)} autoFocus spellCheck={false} />
            </label>
            <button type="submit" className="button button-small button-primary">
              {ask.kind === 'rename' ? 'Rename' : 'Create'}
            </button>
            <button type="button" className="button button-small" onClick={() => setAsk(null)}>
              Cancel
            </button>
          </form>
        )}

        <ul className="file-list" aria-label="Workspace files">
          {dir !== '' && (
            <li>
              <button type="button" className="file-name" onClick={() => void actions.openDir(crumbs.slice(0, -1).join('/'))}>
                <Icon name="workspaces" size={16} /> ..
              </button>
            </li>
          )}
          {entries.map((entry) => (
            <li key={entry.path} className={openFile?.path === entry.path ? 'selected' : undefined}>
              <button
                type="button"
                className="file-name"
                onClick={() => void (entry.kind === 'dir' ? actions.openDir(entry.path) : actions.open(entry.path))}
              >
                <Icon name={entry.kind === 'dir' ? 'workspaces' : 'file'} size={16} />
                {entry.name}
                {entry.kind === 'symlink' && <span className="muted small"> (link)</span>}
              </button>
              <span className="muted small">{entry.kind === 'dir' ? '' : formatSize(entry.size)}</span>
              <span className="file-actions">
                <button type="button" className="link small" onClick={() => { setAsk({ kind: 'rename', entry }); setName(entry.name); }} aria-label={`Rename ${entry.name}`}>
                  Rename
                </button>
                {confirmDelete === entry.path ? (
                  <button type="button" className="link small danger" onClick={() => { void actions.remove(entry.path); setConfirmDelete(null); }}>
                    Confirm delete
                  </button>
                ) : (
                  <button type="button" className="link small" onClick={() => setConfirmDelete(entry.path)} aria-label={`Delete ${entry.name}`}>
                    Delete
                  </button>
                )}
              </span>
            </li>
          ))}
          {entries.length === 0 && <li className="muted empty-folder">This folder is empty. Create a file, or drop files here from Finder.</li>}
        </ul>
        {Object.entries(uploads).map(([id, upload]) => (
          <div key={id} className="progress-row">
            <span className="small">Copying {upload.name}</span>
            <progress value={upload.sent} max={Math.max(upload.total, 1)} aria-label={`Copying ${upload.name}`} />
          </div>
        ))}
        <p className="drop-hint muted small">Drop files here to copy them into this folder.</p>
      </div>

      <div className="workspace-side">
        {openFile ? <FileEditor /> : <div className="card muted">Select a text file to edit it here.</div>}
        <PushPanel />
      </div>
    </div>
  );
}

