import { useState } from 'react';
import type { FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { useAppStore } from '../store/context';
import { FileBrowser } from './workspaces/FileBrowser';

export function WorkspacesView() {
  const { list, selectedId } = useAppStore(useShallow((s) => ({ list: s.workspaces.list, selectedId: s.workspaces.selectedId })));
  const { create, select, remove } = useAppStore(useShallow((s) => ({ create: s.workspaces.create, select: s.workspaces.select, remove: s.workspaces.remove })));
  const [newId, setNewId] = useState('');
  const [error, setError] = useState<string>();
  const [confirmRemove, setConfirmRemove] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create(newId.trim());
    if (result.ok) setNewId('');
    setError(result.message);
  }

  const createForm = (
    <form className="inline-form" onSubmit={(event) => void submit(event)}>
      <label>
        New workspace
        <input value={newId} onChange={(event) => setNewId(event.target.value)} placeholder="my-sandbox" spellCheck={false} aria-invalid={error ? true : undefined} />
      </label>
      <button type="submit" className="button button-primary button-small" disabled={newId.trim() === ''}>
        Create
      </button>
      {error && <span className="field-error small">{error}</span>}
    </form>
  );

  return (
    <>
      <PageHeader title="Workspaces" description="Local folders that belong to your sandboxes. Edit files here and push them to a host." />
      {list.length === 0 ? (
        <EmptyState icon="workspaces" title="No workspaces yet">
          <p>
            Each microVM gets a workspace folder on this computer, named after it. You edit files there and push them to the sandbox’s host; Firedeck keeps
            every file operation inside that folder.
          </p>
          {createForm}
        </EmptyState>
      ) : (
        <div className="workspaces-layout">
          <aside className="card workspace-list" aria-label="Workspaces">
            <ul>
              {list.map((w) => (
                <li key={w.id}>
                  <button type="button" className="nav-item" aria-current={w.id === selectedId ? 'true' : undefined} onClick={() => void select(w.id)}>
                    {w.id}
                  </button>
                </li>
              ))}
            </ul>
            {createForm}
            {selectedId &&
              (confirmRemove ? (
                <div className="form-actions">
                  <button type="button" className="button button-small button-danger" onClick={() => { void remove(selectedId); setConfirmRemove(false); }}>
                    Delete {selectedId} and its files
                  </button>
                  <button type="button" className="button button-small" onClick={() => setConfirmRemove(false)}>
                    Keep
                  </button>
                </div>
              ) : (
                <button type="button" className="link small" onClick={() => setConfirmRemove(true)}>
                  Delete workspace…
                </button>
              ))}
          </aside>
          {selectedId ? <FileBrowser workspaceId={selectedId} /> : <div className="card muted">Choose a workspace to see its files.</div>}
        </div>
      )}
    </>
  );
}
