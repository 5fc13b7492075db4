import type { SetupStepState } from '../../../shared/channels/wizard';
import { code } from '../../../shared/error-codes';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';

export const stepStatusText: Record<SetupStepState['status'], string> = {
  pending: 'Waiting',
  running: 'Running…',
  done: 'Done',
  skipped: 'Already done',
  failed: 'Failed',
};

/** One step of the host setup: its status, what it did, its progress, its error and the commands it ran. */
export function WizardStepItem({ step, running, onGrantKvm }: { step: SetupStepState; running: boolean; onGrantKvm(): void }) {
  return (
    <li className={`wizard-step step-${step.status}`} aria-label={step.title}>
      <div className="wizard-step-head">
        <span className="wizard-dot" aria-hidden="true">
          {step.status === 'done' || step.status === 'skipped' ? <Icon name="check" size={14} /> : step.status === 'failed' ? '!' : ''}
        </span>
        <strong>{step.title}</strong>
        <span className="wizard-step-status muted small">{stepStatusText[step.status]}</span>
      </div>
      {step.detail && <p className="small">{step.detail}</p>}
      {step.progress && <progress value={step.progress.done} max={Math.max(step.progress.total, 1)} aria-label={`${step.title} progress`} />}
      {step.error && <ErrorBanner error={step.error} />}
      {step.error?.code === code.KVM_EACCES && !running && (
        <button type="button" className="button button-small" onClick={onGrantKvm}>
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
  );
}
