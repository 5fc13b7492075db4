import { useEffect, useState } from 'react';
import type { ChangeEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { PageHeader } from '../components/PageHeader';
import { useAppStore } from '../store/context';
import { selectHostList } from '../store/hosts-slice';
import { GoToHosts } from './GoToHosts';
import { formatSize } from '../format';

export function ImagesView() {
  const hosts = useAppStore(useShallow((s) => selectHostList(s).filter((h) => h.connection.state === 'connected')));
  const [hostId, setHostId] = useState('');
  const host = hosts.find((h) => h.id === hostId) ?? hosts[0];
  const installed = useAppStore((s) => (host ? s.images.installed[host.id] : undefined));
  const error = useAppStore((s) => (host ? s.images.errors[host.id] : undefined));
  const catalog = useAppStore((s) => (host ? s.wizard.catalogs[host.id] : undefined));
  const catalogError = useAppStore((s) => (host ? s.wizard.catalogErrors[host.id] : undefined));
  const imports = Object.entries(useAppStore((s) => s.images.imports));
  const { loadInstalled, importFile, cancelImport, loadCatalog, openWizard, selectHost, navigate } = useAppStore(
    useShallow((s) => ({
      loadInstalled: s.images.loadInstalled,
      cancelImport: s.images.cancelImport,
      importFile: s.images.importFile,
      loadCatalog: s.wizard.loadCatalog,
      openWizard: s.wizard.open,
      selectHost: s.hosts.select,
      navigate: s.ui.navigate,
    })),
  );
  const hostKey = host?.id;

  useEffect(() => {
    if (!hostKey) return;
    void loadInstalled(hostKey);
    void loadCatalog(hostKey);
  }, [hostKey, loadInstalled, loadCatalog]);

  if (!host) {
    return (
      <>
        <PageHeader title="Images" description="Guest kernels and root filesystems, per host and architecture." />
        <EmptyState icon="images" title="No connected host">
          <p>A guest kernel must match its host’s architecture (x86_64 or aarch64), so images are kept per host. Connect to a host to see and install its images.</p>
          <GoToHosts label="Go to Hosts" />
        </EmptyState>
      </>
    );
  }

  const pick = (event: ChangeEvent<HTMLInputElement>) => {
    for (const file of event.target.files ?? []) void importFile(host.id, file);
    event.target.value = '';
  };
  const setUp = () => {
    selectHost(host.id);
    openWizard(host.id);
    navigate('hosts');
  };

  return (
    <>
      <PageHeader
        title="Images"
        description="Guest kernels and root filesystems, per host and architecture."
        actions={
          <label className="button">
            Import a kernel or rootfs…
            <input type="file" className="visually-hidden" onChange={pick} aria-label="Import a kernel or rootfs" />
          </label>
        }
      />
      <div className="filters">
        <select aria-label="Host" value={host.id} onChange={(e) => setHostId(e.target.value)}>
          {hosts.map((h) => (
            <option key={h.id} value={h.id}>
              {h.label} ({h.probe?.arch ?? '…'})
            </option>
          ))}
        </select>
      </div>
      {error && <ErrorBanner error={error} />}
      {imports.map(([id, item]) =>
        item.stage === 'failed' && item.error ? (
          <div key={id} role="status" aria-label={`Import of ${item.name}`}>
            <ErrorBanner title={`${item.name} was not imported.`} error={item.error} />
          </div>
        ) : (
        <div key={id} className="progress-row card" role="status" aria-label={`Import of ${item.name}`}>
          <span className="small">
            {item.name}: {item.stage === 'copying' ? 'reading it in' : item.stage === 'uploading' ? `uploading to ${host.label}` : item.stage === 'done' ? 'installed' : item.error?.message}
          </span>
          {(item.stage === 'copying' || item.stage === 'uploading') && <progress value={item.sent} max={Math.max(item.total, 1)} />}
          {item.stage === 'uploading' && (
            <button type="button" className="button button-small" onClick={() => void cancelImport(id)}>
              Cancel
            </button>
          )}
        </div>
        ),
      )}

      <section className="card" aria-labelledby="installed-heading">
        <h2 id="installed-heading">
          Installed on {host.label} ({installed?.arch ?? host.probe?.arch})
        </h2>
        {installed && installed.images.length > 0 ? (
          <table className="table" aria-label="Installed images">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Size</th>
                <th>SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {installed.images.map((image) => (
                <tr key={image.path} aria-label={image.name}>
                  <td className="mono small">{image.name}</td>
                  <td>{image.kind === 'kernel' ? 'Kernel' : 'Root filesystem'}</td>
                  <td>{formatSize(image.sizeBytes)}</td>
                  <td className="mono small" title={image.sha256}>
                    {image.sha256 ? `${image.sha256.slice(0, 16)}…` : 'not recorded'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted">
            Nothing installed yet.{' '}
            <button type="button" className="link" onClick={setUp}>
              Run the host setup
            </button>{' '}
            to download a kernel and a root filesystem.
          </p>
        )}
      </section>

      <section className="card catalog" aria-labelledby="catalog-heading">
        <h2 id="catalog-heading">Catalog</h2>
        {catalogError && <ErrorBanner tone="warning" error={catalogError} />}
        <table className="table" aria-label="Catalog">
          <thead>
            <tr>
              <th>Name</th>
              <th>Arch</th>
              <th>Kind</th>
              <th>Size</th>
              <th aria-label="Availability" />
            </tr>
          </thead>
          <tbody>
            {(catalog ?? []).map((image) => (
              <tr key={image.key} className={image.compatible ? undefined : 'row-disabled'} aria-label={`${image.name} ${image.arch}`}>
                <td className="mono small">{image.name}</td>
                <td className="mono small">{image.arch}</td>
                <td>{image.kind === 'kernel' ? 'Kernel' : 'Root filesystem'}</td>
                <td>{formatSize(image.sizeBytes)}</td>
                <td className="small">
                  {image.compatible ? (
                    <button type="button" className="link" onClick={setUp}>
                      Install with the host setup
                    </button>
                  ) : (
                    <span className="muted">Built for {image.arch}; {host.label} is {host.probe?.arch}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
