import { useState } from 'react';
import type { WorkspaceEntry } from '../../../shared/channels/workspaces';

export type NameRequest = { kind: 'file' } | { kind: 'folder' } | { kind: 'rename'; entry: WorkspaceEntry };

/** Asks for the name of a new file or folder, or the new name of an entry. */
export function NameForm({ request, onSubmit, onCancel }: { request: NameRequest; onSubmit(name: string): void; onCancel(): void }) {
  const [name, setName] = useState(request.kind === 'rename' ? request.entry.name : '');
  const label = request.kind === 'file' ? 'New file name' : request.kind === 'folder' ? 'New folder name' : `Rename ${request.entry.name} to`;
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim()) onSubmit(name.trim());
      }}
    >
      <label>
        {label}
        <input value={name} onChange={(event) => setName(event.target.value)} autoFocus spellCheck={false} />
      </label>
      <button type="submit" className="button button-small button-primary">
        {request.kind === 'rename' ? 'Rename' : 'Create'}
      </button>
      <button type="button" className="button button-small" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
