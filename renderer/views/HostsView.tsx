import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';

export function HostsView() {
  return (
    <>
      <PageHeader
        title="Hosts"
        description="Linux servers you reach over SSH. Firecracker runs there, never on this computer."
      />
      <EmptyState icon="hosts" title="No hosts yet">
        <p>
          A host is a Linux machine with KVM: bare metal, or a cloud VM with nested virtualization. Firedeck connects to it
          over SSH, checks its host key, its architecture and <code>/dev/kvm</code>, and installs Firecracker for you.
        </p>
        <ol className="steps">
          <li>
            <strong>Have a Linux server ready</strong> (x86_64 or aarch64) that you can log in to with <code>ssh</code>.
          </li>
          <li>
            <strong>Make sure KVM works there:</strong> <code>ls -l /dev/kvm</code> should show the device, and your user
            should be in the <code>kvm</code> group.
          </li>
          <li>
            <strong>Add it here</strong> by its address and SSH user; a Lima VM on an Apple Silicon Mac will not do, as it
            has no usable KVM.
          </li>
        </ol>
      </EmptyState>
    </>
  );
}
