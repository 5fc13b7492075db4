import type { VmSummary } from '../../../shared/channels/vms';
import { formatSize } from '../../format';

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
        {vm.image ? (
          <>
            <dt>Image</dt>
            <dd>
              {vm.image.name}
              <div className="mono small muted" title={vm.image.sha256}>
                SHA-256 {vm.image.sha256.slice(0, 16)}…
              </div>
            </dd>
            <dt>Disk</dt>
            <dd>{vm.diskBytes !== undefined ? `${formatSize(vm.diskBytes)}, its own copy (rootfs.ext4 in its run directory)` : 'its own copy'}</dd>
          </>
        ) : (
          <>
            <dt>Root filesystem</dt>
            <dd className="mono small">{vm.rootfs} (the image itself: made before microVMs had a disk of their own)</dd>
          </>
        )}
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
