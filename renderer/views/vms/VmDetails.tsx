import type { VmSummary } from '../../../shared/channels/vms';
import { VmNetworkCard } from '../network/VmNetworkCard';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAppStore } from '../../store/context';
import { actionFailureTitle, lastSeen, vmKey } from '../../store/vms-slice';
import '../../styles/vms.css';
import { VmMetricsPanel } from '../metrics/VmMetricsPanel';
import { GuestPanel } from '../guest/GuestPanel';
import { VmActions } from './VmActions';
import { VmConsole } from './VmConsole';
import { VmFacts } from './VmFacts';
import { VmSnapshots } from './VmSnapshots';
import { VmStateBadge } from './VmStateBadge';
import { useNow } from './use-now';

export function VmDetails({ vm }: { vm: VmSummary }) {
  const select = useAppStore((s) => s.vms.select);
  const host = useAppStore((s) => s.hosts.byId[vm.hostId]);
  const failure = useAppStore((s) => s.vms.errors[vmKey(vm)]);
  const dismiss = useAppStore((s) => s.vms.dismissError);
  const now = useNow();
  const live = vm.state === 'running' || vm.state === 'paused' || vm.state === 'starting';
  return (
    <>
      <header className="page-header">
        <div>
          <button type="button" className="link back" onClick={() => select(undefined)}>
            ← All microVMs
          </button>
          <h1>{vm.name || vm.id}</h1>
          <p className="muted">
            <code>{vm.id}</code> on {host?.label ?? 'an unknown host'} · <VmStateBadge state={vm.state} stale={!!vm.offline} />
            {vm.offline && <span className="vm-offline"> · {lastSeen(vm.offline.lastSeenAt, now)}</span>}
          </p>
        </div>
        <div className="page-actions">
          <VmActions vm={vm} />
        </div>
      </header>
      {vm.offline && (
        <ErrorBanner
          tone="warning"
          title="This is the state last seen: nothing can be done to the microVM until its host answers."
          error={{ message: vm.offline.message, remedy: vm.offline.remedy }}
        />
      )}
      {failure && <ErrorBanner title={actionFailureTitle(failure)} error={{ message: failure.error.message, remedy: failure.error.remedy }} onDismiss={() => dismiss(vmKey(vm))} />}
      <div className="details-grid">
        <VmFacts vm={vm} />
        <VmSnapshots vm={vm} />
        <VmNetworkCard vm={vm} />
        {vm.state === 'exited' && (
          <section className="card" aria-labelledby="vm-exit">
            <h2 id="vm-exit">Firecracker exited</h2>
            <p className="muted">The process is gone. The end of its console log:</p>
            <pre className="log-tail">{(vm.lastLog ?? []).join('\n') || '(the log is empty)'}</pre>
          </section>
        )}
      </div>
      {live && <VmConsole vm={vm} />}
      {live && !vm.offline && <GuestPanel vm={vm} />}
      {live && !vm.offline && <VmMetricsPanel hostId={vm.hostId} vmId={vm.id} vcpus={vm.vcpus} memoryMib={vm.memoryMib} />}
    </>
  );
}
