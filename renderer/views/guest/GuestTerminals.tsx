import { useState } from 'react';
import type { TerminalStatus } from '../../store/guest-slice';
import { GuestTerminal } from './GuestTerminal';

interface Tab {
  key: number;
  status: TerminalStatus;
}

/** Several guest terminals at once, as tabs; each is its own SSH shell on the guest's one connection. */
export function GuestTerminals({ hostId, vmId }: { hostId: string; vmId: string }) {
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [active, setActive] = useState<number | undefined>(undefined);
  const [next, setNext] = useState(1);

  const add = () => {
    setTabs((list) => [...list, { key: next, status: { state: 'connecting', message: 'Connecting…' } }]);
    setActive(next);
    setNext((n) => n + 1);
  };
  const remove = (key: number) => {
    setTabs((list) => {
      const rest = list.filter((t) => t.key !== key);
      if (active === key) setActive(rest.at(-1)?.key);
      return rest;
    });
  };
  const current = tabs.find((t) => t.key === active);

  return (
    <div className="guest-terminals">
      <div className="guest-tabs" role="tablist" aria-label="Guest terminals">
        {tabs.map((tab) => (
          <span key={tab.key} className={`guest-tab${tab.key === active ? ' guest-tab-active' : ''}`}>
            <button type="button" role="tab" aria-selected={tab.key === active} className="link" onClick={() => setActive(tab.key)}>
              Terminal {tab.key}
            </button>
            <button type="button" className="link guest-tab-close" aria-label={`Close terminal ${tab.key}`} onClick={() => remove(tab.key)}>
              ×
            </button>
          </span>
        ))}
        <button type="button" className="button button-small" onClick={add}>
          {tabs.length ? '+ Terminal' : 'Open terminal'}
        </button>
        {current && (
          <span className={`small console-status guest-terminal-${current.status.state}`} role="status" aria-label="Terminal status">
            {current.status.message}
          </span>
        )}
      </div>
      {tabs.map((tab) => (
        <GuestTerminal
          key={tab.key}
          hostId={hostId}
          vmId={vmId}
          visible={tab.key === active}
          onStatus={(status) => setTabs((list) => list.map((t) => (t.key === tab.key ? { ...t, status } : t)))}
        />
      ))}
      {tabs.length === 0 && <p className="muted small">A shell in the guest over SSH, through the host’s connection. Open several at once.</p>}
    </div>
  );
}
