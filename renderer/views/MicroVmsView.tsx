import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { GoToHosts } from './GoToHosts';

export function MicroVmsView() {
  return (
    <>
      <PageHeader title="MicroVMs" description="Every Firecracker microVM on your hosts, in one list." />
      <EmptyState icon="vms" title="No microVMs yet">
        <p>
          MicroVMs live on your hosts and keep running when Firedeck is closed. Once a host is set up, you create, boot,
          pause and stop them here, and watch their serial console.
        </p>
        <GoToHosts label="Add a host first" />
      </EmptyState>
    </>
  );
}
