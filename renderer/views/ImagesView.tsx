import { EmptyState } from '../components/EmptyState';
import { PageHeader } from '../components/PageHeader';
import { GoToHosts } from './GoToHosts';

export function ImagesView() {
  return (
    <>
      <PageHeader title="Images" description="Guest kernels and root filesystems, per host and architecture." />
      <EmptyState icon="images" title="No images yet">
        <p>
          A guest kernel must match its host's architecture (x86_64 or aarch64), so images are kept per host. The host
          setup wizard downloads a matching kernel and root filesystem; you can also import your own.
        </p>
        <GoToHosts label="Set up a host" />
      </EmptyState>
    </>
  );
}
