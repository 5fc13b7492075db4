import type { CatalogImage } from '../../../shared/channels/images';
import type { AppErrorShape } from '../../../shared/errors';
import { DataTable } from '../../components/DataTable';
import type { Column } from '../../components/DataTable';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatSize } from '../../format';

/** The image bucket's kernels and root filesystems; those of another architecture are shown, not offered. */
export function CatalogTable({ catalog, error, host, onSetUp }: { catalog: CatalogImage[] | undefined; error?: AppErrorShape; host: { label: string; arch?: string }; onSetUp(): void }) {
  const columns: Column<CatalogImage>[] = [
    { header: 'Name', cell: (image) => image.name, className: 'mono small' },
    { header: 'Arch', cell: (image) => image.arch, className: 'mono small' },
    { header: 'Kind', cell: (image) => (image.kind === 'kernel' ? 'Kernel' : 'Root filesystem') },
    { header: 'Size', cell: (image) => formatSize(image.sizeBytes) },
    {
      header: 'Availability',
      hideHeader: true,
      className: 'small',
      cell: (image) =>
        image.compatible ? (
          <button type="button" className="link" onClick={onSetUp}>
            Install with the host setup
          </button>
        ) : (
          <span className="muted">
            Built for {image.arch}; {host.label} is {host.arch}
          </span>
        ),
    },
  ];
  return (
    <section className="card catalog" aria-labelledby="catalog-heading">
      <h2 id="catalog-heading">Catalog</h2>
      {error && <ErrorBanner tone="warning" error={error} />}
      <DataTable
        label="Catalog"
        columns={columns}
        rows={catalog ?? []}
        rowKey={(i) => i.key}
        rowLabel={(i) => `${i.name} ${i.arch}`}
        empty={catalog ? 'The catalog lists no images for this Firecracker version.' : 'Reading the catalog…'}
      />
    </section>
  );
}
