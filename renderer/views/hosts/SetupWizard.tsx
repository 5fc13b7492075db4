import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { HostSummary } from '../../../shared/channels/hosts';
import type { SetupReport } from '../../../shared/channels/wizard';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useDraft } from '../../components/use-draft';
import { useAppStore } from '../../store/context';
import { isReady } from '../../store/wizard-slice';
import { NetworkHelperStep } from '../network/NetworkHelperStep';
import { WizardOptions } from '../wizard/WizardOptions';
import { stepStatusText, WizardStepItem } from '../wizard/WizardStepItem';
import '../../styles/wizard.css';

/** What the wizard's one live region says: the step under way, or how the run ended. */
function announcement(report: SetupReport | undefined): string {
  if (!report) return '';
  const failed = report.steps.find((s) => s.status === 'failed');
  if (failed) return `${failed.title}: ${stepStatusText.failed}. ${failed.error?.message ?? ''}`.trim();
  const current = report.steps.find((s) => s.status === 'running');
  if (current) return `${current.title}: ${stepStatusText.running}`;
  return isReady(report) ? 'Setup finished: the host is ready for microVMs.' : '';
}

/** The host setup: one stepper from "connected" to "first microVM running". */
export function SetupWizard({ host, onClose }: { host: HostSummary; onClose(): void }) {
  const report = useAppStore((s) => s.wizard.reports[host.id]);
  const catalog = useAppStore((s) => s.images.catalogs[host.id]);
  const catalogError = useAppStore((s) => s.images.catalogErrors[host.id]);
  const runError = useAppStore((s) => s.wizard.runErrors[host.id]);
  const defaultVersion = useAppStore((s) => s.settings.value?.firecrackerVersion ?? 'v1.12.0');
  const { run, cancel, loadCatalog, grantKvmAccess } = useAppStore(
    useShallow((s) => ({ run: s.wizard.run, cancel: s.wizard.cancel, loadCatalog: s.images.loadCatalog, grantKvmAccess: s.wizard.grantKvmAccess })),
  );
  const { createVm, selectVm, navigate } = useAppStore(useShallow((s) => ({ createVm: s.vms.create, selectVm: s.vms.select, navigate: s.ui.navigate })));
  const choices = useDraft({ version: defaultVersion, kernelKey: '', rootfsKey: '' });
  const [booting, setBooting] = useState<string | null>(null);
  const running = report?.running ?? false;
  const hostArch = host.probe?.arch ?? 'the host';

  useEffect(() => {
    if (host.connection.state === 'connected') void loadCatalog(host.id);
  }, [host.id, host.connection.state, loadCatalog]);

  const { version, kernelKey, rootfsKey } = choices.value;
  const options = { firecrackerVersion: version, ...(kernelKey ? { kernelKey } : {}), ...(rootfsKey ? { rootfsKey } : {}) };

  async function bootFirst() {
    // The paths the run installed or found: the wizard never rebuilds the host's file names.
    const installed = report?.installed;
    if (!installed) return;
    setBooting('Booting…');
    const id = `first-${Math.random().toString(36).slice(2, 6)}`;
    const result = await createVm({ hostId: host.id, id, vcpus: 1, memoryMib: 256, kernel: installed.kernel, rootfs: installed.rootfs });
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
      <WizardOptions choices={choices.value} onChange={choices.set} catalog={catalog} hostArch={hostArch} disabled={running} />
      {catalogError && <ErrorBanner tone="warning" title="The image catalog could not be read." error={catalogError} />}
      {runError && <ErrorBanner error={runError} />}
      <p className="visually-hidden" role="status" aria-label="Setup progress">
        {announcement(report)}
      </p>

      <ol className="wizard-steps">
        {(report?.steps ?? []).map((step) => (
          <WizardStepItem key={step.name} step={step} running={running} onGrantKvm={() => void grantKvmAccess(host.id)} />
        ))}
      </ol>

      <NetworkHelperStep host={host} />

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
        {isReady(report) && report?.installed && (
          <button type="button" className="button button-primary" onClick={() => void bootFirst()} disabled={booting === 'Booting…'}>
            Create and boot a first microVM
          </button>
        )}
        {booting && <span className="small">{booting}</span>}
      </div>
    </section>
  );
}
