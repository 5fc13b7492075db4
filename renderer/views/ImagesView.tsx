import { useEffect, useState } from 'react';
import type { ChangeEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { PageHeader } from '../components/PageHeader';
import { useAppStore } from '../store/context';
import { selectHostList } from '../store/hosts-slice';
import { GoToHosts } from './GoToHosts';
import { CatalogTable } from './images/CatalogTable';
import { ImportList } from './images/ImportList';
import { InstalledImages } from './images/InstalledImages';
import '../styles/images.css';

const description = 'Guest kernels and root filesystems, per host and architecture.';

export function ImagesView() {
  const hosts = useAppStore(useShallow((s) => selectHostList(s).filter((h) => h.connection.state === 'connected')));
  const [hostId, setHostId] = useState('');
  const host = hosts.find((h) => h.id === hostId) ?? hosts[0];
  const installed = useAppStore((s) => (host ? s.images.installed[host.id] : undefined));
  const error = useAppStore((s) => (host ? s.images.errors[host.id] : undefined));
  const catalog = useAppStore((s) => (host ? s.images.catalogs[host.id] : undefined));
  const catalogError = useAppStore((s) => (host ? s.images.catalogErrors[host.id] : undefined));
  const imports = Object.entries(useAppStore((s) => s.images.imports));
  const { loadInstalled, loadCatalog, importFile, cancelImport, openWizard, selectHost, navigate } = useAppStore(
    useShallow((s) => ({
      loadInstalled: s.images.loadInstalled,
      loadCatalog: s.images.loadCatalog,
      importFile: s.images.importFile,
      cancelImport: s.images.cancelImport,
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
        <PageHeader title="Images" description={description} />
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
        description={description}
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
      <ImportList imports={imports} hostLabel={host.label} onCancel={(id) => void cancelImport(id)} />
      <InstalledImages hostLabel={host.label} installed={installed} onSetUp={setUp} />
      <CatalogTable catalog={catalog} error={catalogError} host={{ label: host.label, arch: host.probe?.arch ?? undefined }} onSetUp={setUp} />
    </>
  );
}
