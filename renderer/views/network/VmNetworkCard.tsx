import type { VmSummary } from '../../../shared/channels/vms';
import '../../styles/network.css';

/** A VM page's network card: where the host reaches the guest, or why the VM has no network. */
export function VmNetworkCard({ vm }: { vm: VmSummary }) {
  if (!vm.network && !vm.networkProblem) return null;
  return (
    <section className="card" aria-labelledby={`vm-network-${vm.id}`}>
      <h2 id={`vm-network-${vm.id}`}>Network</h2>
      {vm.network ? (
        <dl className="facts">
          <dt>Host reaches it at</dt>
          <dd className="mono">{vm.network.hostAddress}</dd>
          <dt>Guest address</dt>
          <dd className="mono">{vm.network.guestAddress}</dd>
          <dt>MAC</dt>
          <dd className="mono">{vm.network.mac}</dd>
          <dt>Outbound</dt>
          <dd>NAT through the host; DNS from the host’s resolvers. Nothing beyond the host reaches the guest.</dd>
        </dl>
      ) : (
        <p className="network-warning" role="note">
          <strong>No network.</strong> {vm.networkProblem!.message} {vm.networkProblem!.remedy}
        </p>
      )}
    </section>
  );
}
