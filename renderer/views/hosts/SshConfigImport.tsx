import { useState } from 'react';
import type { SshConfigHost } from '../../../shared/channels/hosts';
import { useAppStore } from '../../store/context';

/** "Import from ~/.ssh/config", then a picker of its hosts; choosing one fills in the form. */
export function SshConfigImport({ onPick }: { onPick(entry: SshConfigHost): void }) {
  const importSshConfig = useAppStore((s) => s.hosts.importSshConfig);
  const [imported, setImported] = useState<SshConfigHost[] | null>(null);
  const [importError, setImportError] = useState<string>();

  async function load() {
    setImportError(undefined);
    try {
      const hosts = await importSshConfig();
      setImported(hosts);
      if (hosts.length === 0) setImportError('No hosts found in ~/.ssh/config.');
    } catch (error) {
      setImportError((error as Error).message);
    }
  }

  return (
    <div className="import-row">
      {imported && imported.length > 0 ? (
        <select
          defaultValue=""
          onChange={(event) => {
            const entry = imported.find((h) => h.alias === event.target.value);
            if (entry) onPick(entry);
          }}
          aria-label="Host from ~/.ssh/config"
        >
          <option value="" disabled>
            Fill in from ~/.ssh/config…
          </option>
          {imported.map((entry) => (
            <option key={entry.alias} value={entry.alias}>
              {entry.alias} — {entry.user ? `${entry.user}@` : ''}
              {entry.address}
            </option>
          ))}
        </select>
      ) : (
        <button type="button" className="button" onClick={() => void load()}>
          Import from ~/.ssh/config
        </button>
      )}
      {importError && <span className="field-hint">{importError}</span>}
    </div>
  );
}
