import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AppErrorShape } from '../../../shared/errors';
import { useAppStore } from '../../store/context';
import { guestKey } from '../../store/guest-slice';

const NONE: never[] = [];

/** Guest ports on 127.0.0.1 of this computer: the forwards, the ports the guest listens on, and a form. */
export function GuestPorts({ hostId, vmId }: { hostId: string; vmId: string }) {
  const vm = { hostId, id: vmId };
  const key = guestKey(vm);
  const forwards = useAppStore(useShallow((s) => s.guest.forwards[key] ?? NONE));
  const ports = useAppStore((s) => s.guest.ports[key]);
  const { loadForwards, loadPorts, addForward, removeForward } = useAppStore(
    useShallow((s) => ({ loadForwards: s.guest.loadForwards, loadPorts: s.guest.loadPorts, addForward: s.guest.addForward, removeForward: s.guest.removeForward })),
  );
  const [guestPort, setGuestPort] = useState('');
  const [localPort, setLocalPort] = useState('');
  const [error, setError] = useState<AppErrorShape | undefined>();

  useEffect(() => {
    void loadForwards({ hostId, id: vmId });
  }, [hostId, vmId, loadForwards]);

  const forward = async (port: number, local?: number) => {
    setError(undefined);
    const result = await addForward(vm, port, local);
    if (!result.ok) setError(result.error);
  };
  const suggested = (ports ?? []).filter((p) => !forwards.some((f) => f.guestPort === p.port));

  return (
    <div className="guest-ports">
      {forwards.length > 0 && (
        <ul className="guest-list" aria-label="Forwarded ports">
          {forwards.map((f) => (
            <li key={f.forwardId}>
              <span>
                guest port <strong>{f.guestPort}</strong> → <code>127.0.0.1:{f.localPort}</code>
              </span>
              <a className="button button-small" href={f.url} target="_blank" rel="noopener noreferrer">
                Open in browser
              </a>
              <button type="button" className="button button-small" onClick={() => void navigator.clipboard?.writeText(f.url).catch(() => {})}>
                Copy address
              </button>
              <button type="button" className="button button-small" onClick={() => void removeForward(vm, f.forwardId)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="guest-row"
        onSubmit={(event) => {
          event.preventDefault();
          const port = Number(guestPort);
          if (Number.isInteger(port) && port > 0) void forward(port, localPort ? Number(localPort) : undefined);
        }}
      >
        <label htmlFor={`gport-${vmId}`}>Guest port</label>
        <input id={`gport-${vmId}`} className="guest-input guest-port" inputMode="numeric" placeholder="8000" value={guestPort} onChange={(e) => setGuestPort(e.target.value.replace(/\D/g, ''))} />
        <label htmlFor={`lport-${vmId}`}>Local port</label>
        <input id={`lport-${vmId}`} className="guest-input guest-port" inputMode="numeric" placeholder="same" value={localPort} onChange={(e) => setLocalPort(e.target.value.replace(/\D/g, ''))} />
        <button type="submit" className="button button-small button-primary" disabled={!guestPort}>
          Forward
        </button>
        <button type="button" className="button button-small" onClick={() => void loadPorts(vm)}>
          Find listening ports
        </button>
      </form>
      {ports && (
        <p className="small guest-suggest">
          {suggested.length === 0 ? (
            <span className="muted">No other ports listen in the guest.</span>
          ) : (
            <>
              <span className="muted">Listening in the guest: </span>
              {suggested.map((p) => (
                <button key={`${p.address}:${p.port}`} type="button" className="button button-small" title={`listens on ${p.address}`} onClick={() => void forward(p.port)}>
                  Forward {p.port}
                </button>
              ))}
            </>
          )}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error.message} {error.remedy}
        </p>
      )}
    </div>
  );
}
