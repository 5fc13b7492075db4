import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { HostSummary } from '../../../shared/channels/hosts';
import { newestFirst } from '../../../shared/image-order';
import type { SetupStepState } from '../../../shared/channels/wizard';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { useAppStore } from '../../store/context';
import { isReady } from '../../store/wizard-slice';
import { code } from '../../../shared/error-codes';

const statusText: Record<SetupStepState['status'], string> = {
  pending: 'Waiting',
  running: 'Running…',
  done: 'Done',
  skipped: 'Already done',
  failed: 'Failed',
};

/** The host setup: one stepper from "connected" to "first microVM running". */
export function SetupWizard({ host, onClose }: { host: HostSummary; onClose(): void }) {
  const report = useAppStore((s) => s.wizard.reports[host.id]);
  const catalog = useAppStore((s) => s.wizard.catalogs[host.id]);
  const catalogError = useAppStore((s) => s.wizard.catalogErrors[host.id]);
  const runError = useAppStore((s) => s.wizard.runErrors[host.id]);
  const defaultVersion = useAppStore((s) => s.settings.value?.firecrackerVersion ?? 'v1.12.0');
  const { run, cancel, loadCatalog, grantKvmAccess } = useAppStore(
    useShallow((s) => ({ run: s.wizard.run, cancel: s.wizard.cancel, loadCatalog: s.wizard.loadCatalog, grantKvmAccess: s.wizard.grantKvmAccess })),
  );
  const { createVm, selectVm, navigate } = useAppStore(useShallow((s) => ({ createVm: s.vms.create, selectVm: s.vms.select, navigate: s.ui.navigate })));
  const [version, setVersion] = useState(defaultVersion);
  const [kernelKey, setKernelKey] = useState('');
  const [rootfsKey, setRootfsKey] = useState('');
  const [booting, setBooting] = useState<string | null>(null);
  const running = report?.running ?? false;

  useEffect(() => {
    if (host.connection.state === 'connected') void loadCatalog(host.id);
  }, [host.id, host.connection.state, loadCatalog]);

  const images = (kind: 'kernel' | 'rootfs') => (catalog ?? []).filter((i) => i.kind === kind);
  const options = { firecrackerVersion: version, ...(kernelKey ? { kernelKey } : {}), ...(rootfsKey ? { rootfsKey } : {}) };

  async function bootFirst() {
    const installed = `${host.probe?.firedeckDir}/images/${host.probe?.arch}`;
    const kernel = (catalog ?? []).find((i) => i.key === kernelKey) ?? images('kernel').filter((i) => i.compatible).sort(newestFirst)[0];
    const rootfs = (catalog ?? []).find((i) => i.key === rootfsKey) ?? images('rootfs').find((i) => i.compatible);
    if (!kernel || !rootfs) return;
    setBooting('Booting…');
    const id = `first-${Math.random().toString(36).slice(2, 6)}`;
    const result = await createVm({ hostId: host.id, id, vcpus: 1, memoryMib: 256, kernel: `${installed}/${kernel.name}`, rootfs: `${installed}/rootfs-${rootfs.name.replace(/\.(squashfs|ext4)$/, '')}.ext4` });
    if (!result.ok) return setBooting(result.message);
    setBooting(null);
    selectVm(`${host.id}/${result.vm.id}`);
    navigate('vms');
  }

  return (
    <section className="card wizard" aria-label="Host setup">
      <div className="editor-header">
        <h2>Set up {host.label}</h2>
        <button type="button" className="link small" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted">
        Each step checks first whether its work is already done, so running the setup again after a failure, a cancel or a restart continues where it
        stopped.
      </p>
      <div className="wizard-options">
        <label className="field">
          <span className="field-label">Firecracker version</span>
          <input value={version} onChange={(e) => setVersion(e.target.value)} spellCheck={false} disabled={running} />
        </label>
        <label className="field">
          <span className="field-label">Kernel</span>
          <select value={kernelKey} onChange={(e) => setKernelKey(e.target.value)} disabled={running}>
            <option value="">Newest for {host.probe?.arch ?? 'the host'}</option>
            {images('kernel').map((i) => (
              <option key={i.key} value={i.key} disabled={!i.compatible}>
                {i.name} ({i.arch}){i.compatible ? '' : ` — built for ${i.arch}, this host is ${host.probe?.arch}`}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Root filesystem</span>
          <select value={rootfsKey} onChange={(e) => setRootfsKey(e.target.value)} disabled={running}>
            <option value="">Default for {host.probe?.arch ?? 'the host'}</option>
            {images('rootfs').map((i) => (
              <option key={i.key} value={i.key} disabled={!i.compatible}>
                {i.name} ({i.arch}){i.compatible ? '' : ` — built for ${i.arch}`}
              </option>
            ))}
          </select>
        </label>
      </div>
      {catalogError && <ErrorBanner tone="warning" title="The image catalog could not be read." error={catalogError} />}
      {runError && <ErrorBanner error={runError} />}

      <ol className="wizard-steps">
        {(report?.steps ?? []).map((step) => (
          <li key={step.name} className={`wizard-step step-${step.status}`} aria-label={step.title}>
            <div className="wizard-step-head">
              <span className="wizard-dot" aria-hidden="true">
                {step.status === 'done' || step.status === 'skipped' ? <Icon name="check" size={14} /> : step.status === 'failed' ? '!' : ''}
              </span>
              <strong>{step.title}</strong>
              <span className="muted small" role="status">
                {statusText[step.status]}
              </span>
            </div>
            {step.detail && <p className="small">{step.detail}</p>}
            {step.progress && <progress value={step.progress.done} max={Math.max(step.progress.total, 1)} aria-label={`${step.title} progress`} />}
            {step.error && <ErrorBanner error={step.error} />}
            {step.error?.code === code.KVM_EACCES && !running && (
              <button type="button" className="button button-small" onClick={() => void grantKvmAccess(host.id)}>
                Add me to the kvm group with sudo, then continue
              </button>
            )}
            {step.commands.length > 0 && (
              <details>
                <summary className="small">Commands run on the host ({step.commands.length})</summary>
                <pre className="log-tail">{step.commands.join('\n\n')}</pre>
              </details>
            )}
          </li>
        ))}
      </ol>

      <div className="form-actions">
        {running ? (
          <button type="button" className="button" onClick={() => void cancel(host.id)}>
            Cancel
          </button>
        ) : (
          <button type="button" className="button button-primary" onClick={() => void run(host.id, options)}>
            {report ? 'Run setup again' : 'Start setup'}
          </button>
        )}
        {isReady(report) && (
          <button type="button" className="button button-primary" onClick={() => void bootFirst()} disabled={booting === 'Booting…'}>
            Create and boot a first microVM
          </button>
        )}
        {booting && <span className="small">{booting}</span>}
      </div>
    </section>
  );
}
