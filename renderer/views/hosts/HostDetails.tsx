import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { HostProbe, HostSummary } from '../../../shared/channels/hosts';
import { KvmBadge } from '../../components/KvmBadge';
import { HostConnectionBadge } from '../../components/HostConnectionBadge';
import { useAppStore } from '../../store/context';
import { SetupWizard } from './SetupWizard';
import { ErrorBanner } from '../../components/ErrorBanner';
import { code } from '../../../shared/error-codes';

const authLabel = (host: HostSummary) =>
  host.auth.method === 'key' ? `Key file ${host.auth.keyPath}` : host.auth.method === 'agent' ? `SSH agent${host.auth.agentSocket ? ` (${host.auth.agentSocket})` : ''}` : 'Password';

const mib = (value: number | null) => (value === null ? 'unknown' : value >= 1024 ? `${(value / 1024).toFixed(1)} GiB` : `${value} MiB`);
const tool = (info: HostProbe['socat']) => (info.present ? `${info.version ?? 'installed'} (${info.path})` : 'not installed');
const sudoLabel: Record<HostProbe['sudo'], string> = { passwordless: 'Works without a password', 'password-required': 'Needs a password', missing: 'Not installed' };

export function HostDetails({ host, onEdit }: { host: HostSummary; onEdit(): void }) {
  const busy = useAppStore((s) => s.hosts.busy[host.id] ?? false);
  const error = useAppStore((s) => s.hosts.errors[host.id]);
  const { connect, disconnect, probe, remove, select, forgetSecret } = useAppStore(
    useShallow((s) => ({ connect: s.hosts.connect, disconnect: s.hosts.disconnect, probe: s.hosts.probe, remove: s.hosts.remove, select: s.hosts.select, forgetSecret: s.hosts.forgetSecret })),
  );
  const [confirmRemove, setConfirmRemove] = useState(false);
  const wizardOpen = useAppStore((s) => s.wizard.hostId === host.id);
  const openWizard = useAppStore((s) => s.wizard.open);
  const connected = host.connection.state === 'connected';
  const failure = error ?? (host.connection.state === 'failed' ? host.connection.error : host.connection.state === 'reconnecting' ? host.connection.error : undefined);

  return (
    <>
      <header className="page-header">
        <div>
          <button type="button" className="link back" onClick={() => select(undefined)}>
            ← All hosts
          </button>
          <h1>{host.label}</h1>
          <p className="muted mono">
            {host.user}@{host.address}:{host.port}
          </p>
        </div>
        <div className="page-actions">
          {connected ? (
            <>
              <button type="button" className="button" disabled={busy} onClick={() => void probe(host.id)}>
                {busy ? 'Probing…' : 'Probe again'}
              </button>
              <button type="button" className="button" disabled={busy} onClick={() => void disconnect(host.id)}>
                Disconnect
              </button>
            </>
          ) : (
            <button type="button" className="button button-primary" disabled={busy} onClick={() => void connect(host.id)}>
              {busy ? 'Connecting…' : 'Connect'}
            </button>
          )}
          <button type="button" className="button" onClick={onEdit}>
            Edit
          </button>
        </div>
      </header>
      {connected && !wizardOpen && (
        <div className="setup-callout">
          <span>{host.probe?.firecracker.present ? 'Firecracker is installed. Run the setup again to update it or add images.' : 'This host is not set up for microVMs yet.'}</span>
          <button type="button" className="button button-primary" onClick={() => openWizard(host.id)}>
            Set up host
          </button>
        </div>
      )}
      {wizardOpen && <SetupWizard host={host} onClose={() => openWizard(undefined)} />}

      {failure && <ErrorBanner error={failure} tone={failure.code === code.HOST_KEY_UNKNOWN || failure.code === code.SECRET_REQUIRED ? 'warning' : 'error'} />}

      <div className="details-grid">
        <section className="card" aria-labelledby="connection-heading">
          <h2 id="connection-heading">Connection</h2>
          <dl className="facts">
            <dt>State</dt>
            <dd>
              <HostConnectionBadge connection={host.connection} />
            </dd>
            <dt>Authentication</dt>
            <dd className="mono small">{authLabel(host)}</dd>
            {host.proxyJump && (
              <>
                <dt>Jump host</dt>
                <dd className="mono small">{host.proxyJump}</dd>
              </>
            )}
            <dt>API transport</dt>
            <dd className="mono small">{host.transport}</dd>
          </dl>
          {host.secretRemembered && (
            <button type="button" className="button button-small" onClick={() => void forgetSecret(host.id)}>
              Forget remembered password
            </button>
          )}
        </section>

        {host.probe ? <ProbeCard probe={host.probe} /> : (
          <section className="card" aria-labelledby="probe-heading">
            <h2 id="probe-heading">Host facts</h2>
            <p className="muted">{host.probeError ? `The probe failed: ${host.probeError.message}` : 'Connect to see the host’s architecture, KVM status and tools.'}</p>
          </section>
        )}
      </div>

      <section className="card danger-zone" aria-labelledby="remove-heading">
        <h2 id="remove-heading">Remove host</h2>
        <p className="muted">Firedeck forgets this host and its remembered password. Nothing on the host is changed; its microVMs keep running.</p>
        {confirmRemove ? (
          <div className="form-actions">
            <button type="button" className="button button-danger" onClick={() => void remove(host.id)}>
              Remove {host.label}
            </button>
            <button type="button" className="button" onClick={() => setConfirmRemove(false)}>
              Keep it
            </button>
          </div>
        ) : (
          <button type="button" className="button" onClick={() => setConfirmRemove(true)}>
            Remove host…
          </button>
        )}
      </section>
    </>
  );
}

function ProbeCard({ probe }: { probe: HostProbe }) {
  return (
    <section className="card" aria-labelledby="probe-heading">
      <h2 id="probe-heading">Host facts</h2>
      <div className={`kvm-callout ${probe.kvm.verdict === 'ok' ? 'kvm-ok' : 'kvm-problem'}`} role="status" aria-label="KVM">
        <KvmBadge verdict={probe.kvm.verdict} />
        <div>
          <p>{probe.kvm.detail}</p>
          {probe.kvm.remedy && <p className="remedy">{probe.kvm.remedy}</p>}
        </div>
      </div>
      <dl className="facts">
        <dt>Architecture</dt>
        <dd className="mono">{probe.arch ?? `${probe.machine} (not supported by Firecracker)`}</dd>
        <dt>System</dt>
        <dd>
          {probe.os}, kernel {probe.kernel}
          {probe.lima ? ' (Lima VM)' : ''}
        </dd>
        <dt>CPUs</dt>
        <dd>{probe.cpus ?? 'unknown'}</dd>
        <dt>Memory</dt>
        <dd>
          {mib(probe.memoryMiB.available)} free of {mib(probe.memoryMiB.total)}
        </dd>
        <dt>Disk</dt>
        <dd>
          {mib(probe.diskFreeMiB)} free for <code>{probe.firedeckDir}</code>
        </dd>
        <dt>sudo</dt>
        <dd>{sudoLabel[probe.sudo]}</dd>
        <dt>Firecracker</dt>
        <dd className="mono small">{tool(probe.firecracker)}</dd>
        <dt>Jailer</dt>
        <dd className="mono small">{tool(probe.jailer)}</dd>
        <dt>socat</dt>
        <dd className="mono small">{tool(probe.socat)}</dd>
      </dl>
      <p className="muted small">Probed {new Date(probe.probedAt).toLocaleString()}</p>
    </section>
  );
}
