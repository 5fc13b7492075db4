import { useEffect, useRef } from 'react';
import type { FitAddon } from '@xterm/addon-fit';
import { openXterm } from '../../components/xterm-view';
import { useAppStore } from '../../store/context';
import type { TerminalStatus } from '../../store/guest-slice';

/** One SSH shell in the guest, drawn by xterm.js; its pty follows the element's size. */
export function GuestTerminal({ hostId, vmId, visible, onStatus }: { hostId: string; vmId: string; visible: boolean; onStatus(status: TerminalStatus): void }) {
  const container = useRef<HTMLDivElement>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const openTerminal = useAppStore((s) => s.guest.openTerminal);
  const statusRef = useRef(onStatus);
  statusRef.current = onStatus;

  useEffect(() => {
    if (!container.current) return;
    const { term, fit } = openXterm(container.current);
    fitRef.current = fit;
    const session = openTerminal({ hostId, id: vmId }, { cols: term.cols, rows: term.rows }, { onOutput: (data) => term.write(data), onStatus: (s) => statusRef.current(s) });
    const input = term.onData((data) => session.send(data));
    const resized = term.onResize(({ cols, rows }) => session.resize(cols, rows));
    const observer = new ResizeObserver(() => {
      if (container.current && container.current.offsetWidth > 0) fit.fit();
    });
    observer.observe(container.current);
    term.focus();
    return () => {
      session.close();
      input.dispose();
      resized.dispose();
      observer.disconnect();
      term.dispose();
    };
  }, [hostId, vmId, openTerminal]);

  useEffect(() => {
    if (visible) fitRef.current?.fit();
  }, [visible]);

  return <div className="console guest-terminal" ref={container} hidden={!visible} aria-label="Guest terminal" />;
}
