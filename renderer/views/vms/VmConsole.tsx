import { useEffect, useRef, useState } from 'react';
import type { VmSummary } from '../../../shared/channels/vms';
import { openXterm } from '../../components/xterm-view';
import { useAppStore } from '../../store/context';
import type { ConsoleStatus } from '../../store/vms-slice';

/**
 * The VM's serial console: output streamed from its console log, keystrokes into its FIFO. It
 * reconnects on its own when its host comes back; once closed for good it offers Reconnect.
 */
export function VmConsole({ vm }: { vm: VmSummary }) {
  const container = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<ConsoleStatus>({ state: 'connecting', message: 'Connecting…' });
  const [attempt, setAttempt] = useState(0);
  const openConsole = useAppStore((s) => s.vms.openConsole);
  const { hostId, id } = vm;

  useEffect(() => {
    if (!container.current) return;
    const { term, fit } = openXterm(container.current);
    const session = openConsole({ ...vm, hostId, id }, { onOutput: (data) => term.write(data), onStatus: setStatus });
    const input = term.onData((data) => session.send(data));
    const resize = new ResizeObserver(() => fit.fit());
    resize.observe(container.current);
    return () => {
      session.close();
      input.dispose();
      resize.disconnect();
      term.dispose();
    };
    // The session belongs to the VM's identity (and the user's Reconnect), not to every state change of the VM.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [hostId, id, openConsole, attempt]);

  return (
    <section className="card console-card" aria-labelledby="console-heading">
      <div className="editor-header">
        <h2 id="console-heading">Serial console</h2>
        <span className={`small console-status console-${status.state}`} role="status" aria-label="Console status">
          {status.message}
        </span>
        {status.state === 'closed' && (
          <button type="button" className="button button-small" onClick={() => setAttempt((n) => n + 1)}>
            Reconnect
          </button>
        )}
      </div>
      <div className="console" ref={container} aria-label="Console output" />
    </section>
  );
}
