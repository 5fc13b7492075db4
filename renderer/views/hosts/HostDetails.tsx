import { HostNetworksPanel } from '../network/HostNetworksPanel';
import { useShallow } from 'zustand/react/shallow';
import type { HostSummary } from '../../../shared/channels/hosts';
import { code } from '../../../shared/error-codes';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAppStore } from '../../store/context';
import { hostFailure } from '../../store/hosts-slice';
import { HostMetricsPanel } from '../metrics/HostMetricsPanel';
import { ConnectionCard } from './ConnectionCard';
import { HostJailsCard } from './HostJailsCard';
import { ProbeCard } from './ProbeCard';
import { RemoveHostCard } from './RemoveHostCard';
import { SetupWizard } from './SetupWizard';

/** One host's page: connect or probe, set it up, see its facts, remove it. */
export function HostDetails({ host, onEdit }: { host: HostSummary; onEdit(): void }) {
  const busy = useAppStore((s) => s.hosts.busy[host.id] ?? false);
  const error = useAppStore((s) => s.hosts.errors[host.id]);
  const { connect, disconnect, probe, select } = useAppStore(useShallow((s) => ({ connect: s.hosts.connect, disconnect: s.hosts.disconnect, probe: s.hosts.probe, select: s.hosts.select })));
  const wizardOpen = useAppStore((s) => s.wizard.hostId === host.id);
  const openWizard = useAppStore((s) => s.wizard.open);
  const connected = host.connection.state === 'connected';
  const failure = hostFailure(host, error);
  const askingUser = failure?.code === code.HOST_KEY_UNKNOWN || failure?.code === code.SECRET_REQUIRED || failure?.code === code.KEY_PASSPHRASE_REQUIRED;

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

      {failure && <ErrorBanner error={failure} tone={askingUser ? 'warning' : 'error'} />}

      <div className="details-grid">
        <ConnectionCard host={host} />
        {host.probe ? (
          <ProbeCard probe={host.probe} />
        ) : (
          <section className="card" aria-labelledby="probe-heading">
            <h2 id="probe-heading">Host facts</h2>
            <p className="muted">{host.probeError ? `The probe failed: ${host.probeError.message}` : 'Connect to see the host’s architecture, KVM status and tools.'}</p>
          </section>
        )}
      </div>
      {host.connection.state === 'connected' && <HostMetricsPanel hostId={host.id} />}
      {connected && <HostNetworksPanel host={host} />}
      {connected && <HostJailsCard host={host} />}
      <RemoveHostCard host={host} />
    </>
  );
}
