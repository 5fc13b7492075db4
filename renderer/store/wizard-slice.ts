import type { SetupReport, SetupStepState } from '../../shared/channels/wizard';
import type { AppErrorShape } from '../../shared/errors';
import { toFiredeckError } from '../api/firedeck-error';
import { patchSlice } from './slice';
import type { SliceContext } from './slice';

export interface WizardSlice {
  /** The host whose setup is open, if any. */
  hostId?: string;
  reports: Record<string, SetupReport | undefined>;
  /** A run refused before any step ran (e.g. one already running). */
  runErrors: Record<string, AppErrorShape | undefined>;
  open(hostId: string | undefined): void;
  run(hostId: string, options: { firecrackerVersion?: string; kernelKey?: string; rootfsKey?: string }): Promise<void>;
  cancel(hostId: string): Promise<void>;
  /** Runs the kvm group change with sudo, then the setup again. */
  grantKvmAccess(hostId: string): Promise<void>;
  applyStep(hostId: string, step: SetupStepState, running: boolean): void;
}

export function createWizardSlice(ctx: SliceContext): WizardSlice {
  const slice = () => ctx.get().wizard;
  const patch = (changes: Partial<WizardSlice>) => patchSlice(ctx, 'wizard', changes);
  return {
    reports: {},
    runErrors: {},
    open: (hostId) => patch({ hostId }),
    async run(hostId, options) {
      patch({ runErrors: { ...slice().runErrors, [hostId]: undefined } });
      try {
        const report = await ctx.api.invoke('wizard.run', { hostId, ...options });
        patch({ reports: { ...slice().reports, [hostId]: report } });
      } catch (caught) {
        const error = toFiredeckError(caught);
        patch({ runErrors: { ...slice().runErrors, [hostId]: error.shape() } });
      }
    },
    async cancel(hostId) {
      await ctx.api.invoke('wizard.cancel', { hostId }).catch(() => {});
    },
    async grantKvmAccess(hostId) {
      patch({ runErrors: { ...slice().runErrors, [hostId]: undefined } });
      try {
        await ctx.api.invoke('wizard.grantKvmAccess', { hostId });
        await slice().run(hostId, {});
      } catch (caught) {
        const error = toFiredeckError(caught);
        patch({ runErrors: { ...slice().runErrors, [hostId]: error.shape() } });
      }
    },
    applyStep(hostId, step, running) {
      const report = slice().reports[hostId] ?? { hostId, running, steps: [] };
      const steps = report.steps.some((s) => s.name === step.name) ? report.steps.map((s) => (s.name === step.name ? step : s)) : [...report.steps, step];
      patch({ reports: { ...slice().reports, [hostId]: { ...report, running, steps } } });
    },
  };
}

export function isReady(report: SetupReport | undefined): boolean {
  return !!report && !report.running && report.steps.length > 0 && report.steps.every((s) => s.status === 'done' || s.status === 'skipped');
}
