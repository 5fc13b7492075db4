import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store/context';

export function FileEditor() {
  const file = useAppStore((s) => s.workspaces.openFile);
  const { edit, save, closeFile } = useAppStore(useShallow((s) => ({ edit: s.workspaces.edit, save: s.workspaces.save, closeFile: s.workspaces.closeFile })));
  if (!file) return null;
  const dirty = file.content !== file.saved;
  return (
    <section className="card editor" aria-label={`Editing ${file.path}`}>
      <div className="editor-header">
        <code>{file.path}</code>
        <span className="muted small">{dirty ? 'Unsaved changes' : 'Saved'}</span>
      </div>
      <textarea
        value={file.content}
        onChange={(event) => edit(event.target.value)}
        spellCheck={false}
        aria-label="File content"
        onKeyDown={(event) => {
          if ((event.metaKey || event.ctrlKey) && event.key === 's') {
            event.preventDefault();
            void save();
          }
        }}
      />
      <div className="form-actions">
        <button type="button" className="button button-primary" disabled={!dirty || file.saving} onClick={() => void save()}>
          {file.saving ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="button" onClick={closeFile}>
          Close
        </button>
      </div>
    </section>
  );
}
