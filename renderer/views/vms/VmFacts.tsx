import type { VmSummary } from '../../../shared/channels/vms';

/** What the VM was configured with and what Firecracker reported. */
export function VmFacts({ vm }: { vm: VmSummary }) {
  return (
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
  );
}
