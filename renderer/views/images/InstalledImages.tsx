import type { HostImages, InstalledImage } from '../../../shared/channels/images';
import { DataTable } from '../../components/DataTable';
import type { Column } from '../../components/DataTable';
import { useShallow } from 'zustand/react/shallow';
import type { VmSummary } from '../../../shared/channels/vms';
import { formatSize } from '../../format';
import { useAppStore } from '../../store/context';

const kindText = (image: InstalledImage) => (image.kind === 'kernel' ? 'Kernel' : 'Root filesystem');

/** What a kernel's header says, against the host's architecture. */
function archText(image: InstalledImage, hostArch: string) {
  if (image.kind !== 'kernel') return '';
  if (!image.arch) return <span className="muted">not a kernel Firecracker can boot</span>;
  return image.arch === hostArch ? image.arch : <span className="image-arch-mismatch">{image.arch}: does not fit this {hostArch} host</span>;
}

/** The images installed on one host, with their checksums and (for kernels) the architecture their header names. */
export function InstalledImages({ hostLabel, installed, onSetUp }: { hostLabel: string; installed: HostImages | undefined; onSetUp(): void }) {
  // Which microVMs were made from each image, from the list read from the host. They have disks of
  // their own (copies), so an image can go without harming them; VMs older than that boot the image.
  const vms = useAppStore(useShallow((s) => Object.values(s.vms.byKey).filter((vm) => vm.hostId === installed?.hostId)));
  const usedBy = (image: InstalledImage): VmSummary[] => vms.filter((vm) => (image.kind === 'kernel' ? vm.kernel : vm.rootfs) === image.path);
  const columns: Column<InstalledImage>[] = [
    { header: 'Name', cell: (image) => image.name, className: 'mono small' },
    { header: 'Kind', cell: kindText },
    { header: 'Arch', cell: (image) => archText(image, installed?.arch ?? ''), className: 'mono small' },
    { header: 'Size', cell: (image) => formatSize(image.sizeBytes) },
    {
      header: 'SHA-256',
      className: 'mono small',
      cell: (image) => <span title={image.sha256}>{image.sha256 ? `${image.sha256.slice(0, 16)}…` : 'not recorded'}</span>,
    },
    {
      header: 'Used by',
      cell: (image) => {
        const users = usedBy(image);
        if (users.length === 0) return <span className="muted">no microVM</span>;
        const sharing = image.kind === 'rootfs' ? users.filter((vm) => !vm.image) : [];
        return (
          <>
            <div>{users.map((vm) => vm.name || vm.id).join(', ')}</div>
            <div className="muted small">
              {image.kind === 'kernel'
                ? 'Read at each boot: keep it while these microVMs may start again.'
                : sharing.length === 0
                  ? 'Each has its own copy of the disk: deleting the image does not harm them.'
                  : `${sharing.map((vm) => vm.id).join(', ')} boot${sharing.length === 1 ? 's' : ''} the image itself (made before microVMs had their own disk).`}
            </div>
          </>
        );
      },
    },
  ];
  return (
    <section className="card" aria-labelledby="installed-heading">
      <h2 id="installed-heading">
        Installed on {hostLabel} {installed && `(${installed.arch})`}
      </h2>
      {installed && installed.images.length > 0 ? (
        <DataTable label="Installed images" columns={columns} rows={installed.images} rowKey={(i) => i.path} rowLabel={(i) => i.name} />
      ) : (
        <p className="muted">
          Nothing installed yet.{' '}
          <button type="button" className="link" onClick={onSetUp}>
            Run the host setup
          </button>{' '}
          to download a kernel and a root filesystem.
        </p>
      )}
    </section>
  );
}
