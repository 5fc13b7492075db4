import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../store/context';
import { guestKey } from '../../store/guest-slice';

const NONE: never[] = [];

/** Runs one command in the guest and shows its output and exit code as they come. */
export function GuestCommand({ hostId, vmId }: { hostId: string; vmId: string }) {
  const vm = { hostId, id: vmId };
  const [command, setCommand] = useState('');
  const runs = useAppStore(useShallow((s) => s.guest.runs[guestKey(vm)] ?? NONE));
  const run = useAppStore((s) => s.guest.runCommand);
  const cancel = useAppStore((s) => s.guest.cancelCommand);

  return (
    <div className="guest-command">
      <form
        className="guest-row"
        onSubmit={(event) => {
          event.preventDefault();
          if (command.trim()) void run(vm, command);
        }}
      >
        <label className="visually-hidden" htmlFor={`cmd-${vmId}`}>
          Command
        </label>
        <input id={`cmd-${vmId}`} className="guest-input" placeholder="uname -a" value={command} onChange={(e) => setCommand(e.target.value)} />
        <button type="submit" className="button button-small button-primary" disabled={!command.trim()}>
          Run
        </button>
      </form>
      {runs.map((r) => (
        <div key={r.execId} className="guest-run" aria-label={`Command ${r.command}`}>
          <div className="guest-run-head">
            <code>{r.command}</code>
            <span className="small muted" role="status">
              {r.state === 'running' ? 'running…' : r.exitCode !== undefined && r.exitCode !== null ? `exit code ${r.exitCode}` : r.signal ? `ended by ${r.signal}` : (r.error?.message ?? 'ended')}
            </span>
            {r.state === 'running' && (
              <button type="button" className="button button-small" onClick={() => void cancel(vm, r.execId)}>
                Cancel
              </button>
            )}
          </div>
          <pre className="log-tail guest-output">
            {r.output.map((o, i) => (
              <span key={i} className={o.stream === 'stderr' ? 'guest-stderr' : undefined}>
                {o.data}
              </span>
            ))}
          </pre>
          {r.error?.remedy && <p className="small muted">{r.error.remedy}</p>}
        </div>
      ))}
    </div>
  );
}
