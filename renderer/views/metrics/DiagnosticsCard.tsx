import '../../styles/metrics.css';
import { useState } from 'react';
import { useAppStore } from '../../store/context';

/**
 * Settings' card for bug reports: "Reveal log folder" (the file manager in the desktop app; the
 * path in browser mode) and "Copy diagnostics" (version, OS, hosts' probe summaries, last errors;
 * no secrets, no host addresses).
 */
export function DiagnosticsCard() {
  const revealLogs = useAppStore((s) => s.app.revealLogs);
  const diagnostics = useAppStore((s) => s.app.diagnostics);
  const [said, setSaid] = useState<string>('');
  const [logPath, setLogPath] = useState<string>('');

  async function reveal() {
    try {
      const { path, revealed } = await revealLogs();
      setLogPath(path);
      setSaid(revealed ? 'The log folder is open in your file manager.' : 'Open this folder on the computer running Firedeck:');
    } catch {
      setSaid('The log folder could not be shown.');
    }
  }

  async function copy() {
    try {
      const text = await diagnostics();
      await navigator.clipboard.writeText(text);
      setSaid('Diagnostics copied: paste them into your bug report.');
    } catch {
      setSaid('The diagnostics could not be copied.');
    }
  }

  return (
    <section className="card diagnostics-card" aria-labelledby="diagnostics-title">
      <h2 id="diagnostics-title">Logs and diagnostics</h2>
      <p className="muted">Firedeck writes what it runs on your hosts and the errors it meets to a log file; it never writes passwords, passphrases, tokens or keys.</p>
      <div className="form-actions">
        <button type="button" className="button" onClick={() => void reveal()}>
          Reveal log folder
        </button>
        <button type="button" className="button" onClick={() => void copy()}>
          Copy diagnostics
        </button>
      </div>
      <p role="status" className="muted">
        {said} {logPath && !said.startsWith('The log folder is open') && <code>{logPath}</code>}
      </p>
    </section>
  );
}
