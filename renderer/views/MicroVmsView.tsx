import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { VmState } from '../../shared/channels/vms';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { useAppStore } from '../store/context';
import { selectHostList } from '../store/hosts-slice';
import { selectVmList, uptime, vmKey } from '../store/vms-slice';
import type { VmFilter } from '../store/vms-slice';
import { GoToHosts } from './GoToHosts';
import { CreateVmDialog } from './vms/CreateVmDialog';
import { VmActions } from './vms/VmActions';
import { VmDetails } from './vms/VmDetails';
import { VmStateBadge } from './vms/VmStateBadge';

const states: VmState[] = ['running', 'paused', 'starting', 'stopped', 'exited', 'unknown'];

export function MicroVmsView() {
  const [filter, setFilter] = useState<VmFilter>({});
  const [creating, setCreating] = useState(false);
  const [now, setNow] = useState(() => Date.now());
  const vms = useAppStore(useShallow((s) => selectVmList(s, filter)));
  const total = useAppStore((s) => Object.keys(s.vms.byKey).length);
  const hosts = useAppStore(useShallow((s) => selectHostList(s)));
  const selected = useAppStore((s) => (s.vms.selected ? s.vms.byKey[s.vms.selected] : undefined));
  const select = useAppStore((s) => s.vms.select);
  const connected = hosts.filter((h) => h.connection.state === 'connected').length;

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(timer);
  }, []);

  if (selected) return <VmDetails vm={selected} />;

  const newButton = (
    <button type="button" className="button button-primary" disabled={connected === 0} onClick={() => setCreating(true)}>
      New microVM
    </button>
  );

  return (
    <>
      <PageHeader title="MicroVMs" description="Every Firecracker microVM on your hosts, in one list." actions={hosts.length > 0 ? newButton : undefined} />
      {total === 0 ? (
        <EmptyState icon="vms" title="No microVMs yet">
          <p>
            MicroVMs live on your hosts and keep running when Firedeck is closed. {connected > 0 ? 'Create one on a connected host.' : 'Connect to a host first.'}
          </p>
          {connected > 0 ? newButton : <GoToHosts label={hosts.length > 0 ? 'Connect a host' : 'Add a host first'} />}
        </EmptyState>
      ) : (
        <>
          <div className="filters" role="search">
            <input placeholder="Filter by id or name" aria-label="Filter by id or name" value={filter.text ?? ''} onChange={(e) => setFilter({ ...filter, text: e.target.value })} />
            <select aria-label="Host" value={filter.hostId ?? ''} onChange={(e) => setFilter({ ...filter, hostId: e.target.value || undefined })}>
              <option value="">All hosts</option>
              {hosts.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.label}
                </option>
              ))}
            </select>
            <select aria-label="State" value={filter.state ?? ''} onChange={(e) => setFilter({ ...filter, state: (e.target.value || undefined) as VmState | undefined })}>
              <option value="">Any state</option>
              {states.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <table className="table" aria-label="MicroVMs">
            <thead>
              <tr>
                <th>MicroVM</th>
                <th>Host</th>
                <th>State</th>
                <th>vCPUs</th>
                <th>Memory</th>
                <th>Uptime</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {vms.map((vm) => (
                <tr key={vmKey(vm)} aria-label={vm.id}>
                  <td>
                    <button type="button" className="link" onClick={() => select(vmKey(vm))}>
                      {vm.name || vm.id}
                    </button>
                    {vm.name && <div className="muted mono small">{vm.id}</div>}
                  </td>
                  <td>{hosts.find((h) => h.id === vm.hostId)?.label ?? '—'}</td>
                  <td>
                    <VmStateBadge state={vm.state} />
                    {vm.state === 'exited' && vm.lastLog && vm.lastLog.length > 0 && <div className="muted mono small last-line">{vm.lastLog.at(-1)}</div>}
                  </td>
                  <td>{vm.vcpus}</td>
                  <td>{vm.memoryMib} MiB</td>
                  <td>{vm.state === 'running' || vm.state === 'paused' ? uptime(vm.startedAt, now) : '—'}</td>
                  <td>
                    <VmActions vm={vm} compact />
                  </td>
                </tr>
              ))}
              {vms.length === 0 && (
                <tr>
                  <td colSpan={7} className="muted">
                    No microVM matches these filters.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </>
      )}
      {creating && (
        <CreateVmDialog
          onClose={() => setCreating(false)}
          onCreated={(vm) => {
            setCreating(false);
            select(vmKey(vm));
          }}
        />
      )}
    </>
  );
}
