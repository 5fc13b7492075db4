import { useState } from 'react';
import type { DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { useAppStore } from '../../store/context';
import { joinPath } from '../../store/workspaces-slice';
import { FileEditor } from './FileEditor';
import { FileRow } from './FileRow';
import { FolderCrumbs } from './FolderCrumbs';
import { NameForm } from './NameForm';
import type { NameRequest } from './NameForm';
import { PushPanel } from './PushPanel';
import { UploadButton, UploadProgress } from './UploadFiles';

export function FileBrowser({ workspaceId }: { workspaceId: string }) {
  const { dir, entries, error, selectedPath, openFile } = useAppStore(
    useShallow((s) => ({ dir: s.workspaces.dir, entries: s.workspaces.entries, error: s.workspaces.error, selectedPath: s.workspaces.selectedPath, openFile: s.workspaces.openFile })),
  );
  const actions = useAppStore(
    useShallow((s) => ({
      openDir: s.workspaces.openDir,
      createFile: s.workspaces.createFile,
      createFolder: s.workspaces.createFolder,
      rename: s.workspaces.rename,
      upload: s.workspaces.upload,
      dismissError: s.workspaces.dismissError,
    })),
  );
  const [ask, setAsk] = useState<NameRequest | null>(null);
  const [dragging, setDragging] = useState(false);
  const crumbs = dir === '' ? [] : dir.split('/');

  function named(request: NameRequest, name: string) {
    if (request.kind === 'file') void actions.createFile(name);
    else if (request.kind === 'folder') void actions.createFolder(name);
    else void actions.rename(request.entry.path, joinPath(dir, name));
    setAsk(null);
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
          <FolderCrumbs workspaceId={workspaceId} crumbs={crumbs} />
          <div className="toolbar-actions">
            <button type="button" className="button button-small" onClick={() => setAsk({ kind: 'file' })}>
              New file
            </button>
            <button type="button" className="button button-small" onClick={() => setAsk({ kind: 'folder' })}>
              New folder
            </button>
            <UploadButton />
          </div>
        </div>

        {error && <ErrorBanner error={error} onDismiss={actions.dismissError} />}
        {/* Keyed, so that a new request starts with its own name (an entry's, for a rename). */}
        {ask && <NameForm key={ask.kind === 'rename' ? ask.entry.path : ask.kind} request={ask} onSubmit={(name) => named(ask, name)} onCancel={() => setAsk(null)} />}

        <ul className="file-list" aria-label="Workspace files">
          {dir !== '' && (
            <li>
              <button type="button" className="file-name" onClick={() => void actions.openDir(crumbs.slice(0, -1).join('/'))}>
                <Icon name="workspaces" size={16} /> ..
              </button>
            </li>
          )}
          {entries.map((entry) => (
            <FileRow key={entry.path} entry={entry} selected={selectedPath === entry.path} onRename={() => setAsk({ kind: 'rename', entry })} />
          ))}
          {entries.length === 0 && <li className="muted empty-folder">This folder is empty. Create a file, upload files, or drop them here.</li>}
        </ul>
        <UploadProgress />
        <p className="drop-hint muted small">Drop files here, or use Upload files…, to copy them into this folder.</p>
      </div>

      <div className="workspace-side">
        {openFile ? <FileEditor /> : <div className="card muted">Select a text file to edit it here.</div>}
        <PushPanel />
      </div>
    </div>
  );
}
