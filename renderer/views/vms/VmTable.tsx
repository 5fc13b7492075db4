import type { VmSummary } from '../../../shared/channels/vms';
import { DataTable } from '../../components/DataTable';
import type { Column } from '../../components/DataTable';
import { useAppStore } from '../../store/context';
import { uptime, vmKey } from '../../store/vms-slice';
import { useMetricsSubscription } from '../metrics/use-metrics';
import { VmSparklines } from '../metrics/VmSparklines';
import { formatSize } from '../../format';
import { VmActions } from './VmActions';
import { VmStatus } from './VmStatus';
import { useNow } from './use-now';

/** The list of microVMs: one row each, named by its id. */
export function VmTable({ vms }: { vms: VmSummary[] }) {
  const select = useAppStore((s) => s.vms.select);
  const hostLabels = useAppStore((s) => s.hosts.byId);
  const now = useNow();
  useMetricsSubscription();
  const columns: Column<VmSummary>[] = [
    {
      header: 'MicroVM',
      cell: (vm) => (
        <>
          <button type="button" className="link" onClick={() => select(vmKey(vm))}>
            {vm.name || vm.id}
          </button>
          {vm.name && <div className="muted mono small">{vm.id}</div>}
        </>
      ),
    },
    { header: 'Host', cell: (vm) => hostLabels[vm.hostId]?.label ?? '—' },
    { header: 'State', cell: (vm) => <VmStatus vm={vm} now={now} /> },
    { header: 'vCPUs', cell: (vm) => vm.vcpus },
    { header: 'Memory', cell: (vm) => `${vm.memoryMib} MiB` },
    { header: 'Activity', cell: (vm) => (vm.state === 'running' && !vm.offline ? <VmSparklines hostId={vm.hostId} vmId={vm.id} vcpus={vm.vcpus} /> : null) },
    // A VM that is only last seen has no uptime anyone knows.
    { header: 'Uptime', cell: (vm) => (!vm.offline && (vm.state === 'running' || vm.state === 'paused') ? uptime(vm.startedAt, now) : '—') },
    {
      header: 'Image · disk',
      cell: (vm) =>
        vm.image ? (
          <>
            <div>{vm.image.name}</div>
            <div className="muted mono small" title={`SHA-256 ${vm.image.sha256}`}>
              {vm.image.sha256.slice(0, 12)} · {vm.diskBytes !== undefined ? formatSize(vm.diskBytes) : '—'}
            </div>
          </>
        ) : (
          <span className="muted small">{vm.rootfs.split('/').at(-1)} (shared image)</span>
        ),
    },
    { header: 'Actions', hideHeader: true, cell: (vm) => <VmActions vm={vm} compact /> },
  ];
  return <DataTable label="MicroVMs" columns={columns} rows={vms} rowKey={vmKey} rowLabel={(vm) => vm.id} empty="No microVM matches these filters." />;
}
