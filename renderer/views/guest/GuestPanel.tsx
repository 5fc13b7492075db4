import { useEffect, useState } from 'react';
import type { VmSummary } from '../../../shared/channels/vms';
import { useAppStore } from '../../store/context';
import { guestKey } from '../../store/guest-slice';
import { GuestCommand } from './GuestCommand';
import { GuestFiles } from './GuestFiles';
import { GuestPorts } from './GuestPorts';
import { GuestSsh } from './GuestSsh';
import { GuestTerminals } from './GuestTerminals';
import './guest.css';

/** Into the guest over SSH (through the host's connection): status, terminals, a command, ports, files, ssh. */
export function GuestPanel({ vm }: { vm: VmSummary }) {
  const { hostId, id } = vm;
  const key = guestKey(vm);
  const status = useAppStore((s) => s.guest.status[key]);
  const loading = useAppStore((s) => !!s.guest.statusLoading[key]);
  const refresh = useAppStore((s) => s.guest.refreshStatus);
  const forget = useAppStore((s) => s.guest.forgetHostKey);
  const running = vm.state === 'running';

  useEffect(() => {
    if (running) void refresh({ hostId, id });
  }, [hostId, id, running, refresh]);

  // A guest that has just booted starts sshd a few seconds later: look again for a minute.
  const [tries, setTries] = useState(0);
  const down = status?.state === 'down';
  useEffect(() => {
    if (!running || !down || tries >= 20) return;
    const timer = setTimeout(() => {
      setTries((n) => n + 1);
      void refresh({ hostId, id });
    }, 3000);
    return () => clearTimeout(timer);
  }, [hostId, id, running, down, tries, refresh, status]);

  if (!running) return null;
  const label = !status
    ? 'Checking sshd…'
    : status.state === 'up'
      ? `sshd is up${status.address ? ` at ${status.address}` : ''}`
      : status.state === 'down'
        ? 'sshd does not answer'
        : status.state === 'no-address'
          ? 'no network address'
          : 'host not connected';

  return (
    <section className="card guest-card" aria-labelledby={`guest-${id}`}>
      <div className="editor-header">
        <h2 id={`guest-${id}`}>Guest</h2>
        <span className={`small guest-status guest-status-${status?.state ?? 'checking'}`} role="status" aria-label="Guest SSH status">
          <span className="guest-dot" aria-hidden="true" /> {label}
        </span>
        <button type="button" className="button button-small" disabled={loading} onClick={() => void refresh({ hostId, id })}>
          Check again
        </button>
      </div>
      {status?.problem && status.state !== 'up' && (
        <p className="small guest-problem">
          {status.problem.message} {status.problem.remedy}
          {status.problem.code === 'GUEST_HOST_KEY_CHANGED' && (
            <button type="button" className="button button-small" onClick={() => void forget({ hostId, id })}>
              Forget host key
            </button>
          )}
        </p>
      )}
      <GuestTerminals hostId={hostId} vmId={id} />
      <div className="guest-sections">
        <section aria-label="Run a command">
          <h3>Run a command</h3>
          <GuestCommand hostId={hostId} vmId={id} />
        </section>
        <section aria-label="Ports">
          <h3>Ports on this computer</h3>
          <GuestPorts hostId={hostId} vmId={id} />
        </section>
        <section aria-label="Files">
          <h3>Files</h3>
          <GuestFiles hostId={hostId} vmId={id} />
        </section>
        <section aria-label="SSH from your tools">
          <h3>SSH from your tools</h3>
          <GuestSsh hostId={hostId} vmId={id} />
        </section>
      </div>
    </section>
  );
}
