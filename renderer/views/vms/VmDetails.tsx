import type { VmSummary } from '../../../shared/channels/vms';
import { useAppStore } from '../../store/context';
import { vmKey } from '../../store/vms-slice';
import { VmActions } from './VmActions';
import { VmConsole } from './VmConsole';
import { VmStateBadge } from './VmStateBadge';
import { ErrorBanner } from '../../components/ErrorBanner';

export function VmDetails({ vm }: { vm: VmSummary }) {
  const select = useAppStore((s) => s.vms.select);
  const host = useAppStore((s) => s.hosts.byId[vm.hostId]);
  const error = useAppStore((s) => s.vms.errors[vmKey(vm)]);
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
            <code>{vm.id}</code> on {host?.label ?? 'an unknown host'} · <VmStateBadge state={vm.state} />
          </p>
        </div>
        <div className="page-actions">
          <VmActions vm={vm} />
        </div>
      </header>
      {error && <ErrorBanner error={error} />}
      <div className="details-grid">
        <section className="card" aria-labelledby="vm-config">
          <h2 id="vm-config">Configuration</h2>
          <dl className="facts">
            <dt>vCPUs</dt>
            <dd>{vm.vcpus}</dd>
            <dt>Memory</dt>
            <dd>{vm.memoryMib} MiB</dd>
            <dt>Kernel</dt>
            <dd className="mono small">{vm.kernel}</dd>
            <dt>Root filesystem</dt>
            <dd className="mono small">{vm.rootfs}</dd>
            {vm.firecrackerVersion && (
              <>
                <dt>Firecracker</dt>
                <dd className="mono small">{vm.firecrackerVersion}</dd>
              </>
            )}
            {vm.startedAt && (
              <>
                <dt>Started</dt>
                <dd>{new Date(vm.startedAt).toLocaleString()}</dd>
              </>
            )}
          </dl>
        </section>
        {vm.state === 'exited' && (
          <section className="card" aria-labelledby="vm-exit">
            <h2 id="vm-exit">Firecracker exited</h2>
            <p className="muted">The process is gone. The end of its console log:</p>
            <pre className="log-tail">{(vm.lastLog ?? []).join('\n') || '(the log is empty)'}</pre>
          </section>
        )}
      </div>
      {live && <VmConsole vm={vm} />}
    </>
  );
}
