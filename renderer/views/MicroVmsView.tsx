import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { useAppStore } from '../store/context';
import { selectHostList } from '../store/hosts-slice';
import { selectVmList, vmKey } from '../store/vms-slice';
import type { VmFilter } from '../store/vms-slice';
import '../styles/vms.css';
import { GoToHosts } from './GoToHosts';
import { CreateVmDialog } from './vms/CreateVmDialog';
import { UnlistedHosts } from './vms/UnlistedHosts';
import { VmDetails } from './vms/VmDetails';
import { VmFilters } from './vms/VmFilters';
import { VmTable } from './vms/VmTable';

export function MicroVmsView() {
  const [filter, setFilter] = useState<VmFilter>({});
  const [creating, setCreating] = useState(false);
  const vms = useAppStore(useShallow((s) => selectVmList(s, filter)));
  const total = useAppStore((s) => Object.keys(s.vms.byKey).length);
  const hosts = useAppStore(useShallow((s) => selectHostList(s)));
  const selected = useAppStore((s) => (s.vms.selected ? s.vms.byKey[s.vms.selected] : undefined));
  const select = useAppStore((s) => s.vms.select);
  const connected = hosts.filter((h) => h.connection.state === 'connected').length;

  if (selected) return <VmDetails vm={selected} />;

  const newButton = (
    <button type="button" className="button button-primary" disabled={connected === 0} onClick={() => setCreating(true)}>
      New microVM
    </button>
  );
  // "None" only when every host was asked: a host that is not connected may well run VMs.
  const unasked = hosts.length - connected;
  return (
    <>
      <PageHeader title="MicroVMs" description="Every Firecracker microVM on your hosts, in one list." actions={hosts.length > 0 ? newButton : undefined} />
      <UnlistedHosts />
      {total === 0 && unasked === 0 && (
        <EmptyState icon="vms" title="No microVMs yet">
          <p>MicroVMs live on your hosts and keep running when Firedeck is closed. {connected > 0 ? 'Create one on a connected host.' : 'Add a host first.'}</p>
          {connected > 0 ? newButton : <GoToHosts label="Add a host first" />}
        </EmptyState>
      )}
      {total === 0 && unasked > 0 && (
        <p className="muted unlisted-note">{connected > 0 ? 'No microVMs on the connected hosts.' : 'No host is connected, so no microVM can be listed yet.'}</p>
      )}
      {total > 0 && (
        <>
          <VmFilters filter={filter} hosts={hosts} onChange={setFilter} />
          <VmTable vms={vms} />
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
