import kvmGrantSource from '../host-scripts/kvm-grant.sh';
import type { CatalogImage } from '../../shared/channels/images.js';
import type { SetupReport, SetupStepState } from '../../shared/channels/wizard.js';
import type { AppErrorShape } from '../../shared/errors.js';
import { AppError } from '../app-error.js';
import type { EventBus } from '../event-bus.js';
import type { HostService } from '../hosts/host-service.js';
import type { ImageService } from '../images/image-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import { hostScript, runHostScript } from '../ssh/host-script.js';
import { runSteps } from '../steps/step-runner.js';
import type { TransferRegistry } from '../transfers/transfer-registry.js';
import type { SetupContext } from './setup-context.js';
import { setupSteps } from './setup-steps.js';

export interface WizardService {
  run(hostId: string, options: { firecrackerVersion?: string; kernelKey?: string; rootfsKey?: string }): Promise<SetupReport>;
  cancel(hostId: string): boolean;
  report(hostId: string): SetupReport | null;
  grantKvmAccess(hostId: string): Promise<{ verdict: string }>;
}

const kvmGrant = hostScript({
  name: 'kvm-grant',
  source: kvmGrantSource,
  what: 'Changing the kvm group',
  failures: {
    2: { code: 'KVM_MISSING', message: 'There is no /dev/kvm on this host, so there is no group to join.', remedy: 'Run the setup again to see what the host lacks.' },
    3: {
      code: 'SUDO_REQUIRED',
      message: 'Adding you to the kvm group needs sudo, and sudo asks for a password here (or is not installed).',
      remedy: 'Run on the host: sudo usermod -aG kvm $USER (or sudo setfacl -m u:$USER:rw /dev/kvm), then run the setup again.',
    },
  },
});

/**
 * The host setup wizard: the steps (setup-steps.ts) run here, in main, on the one step runner,
 * and report each change as a `wizard.stepProgressed` event. A run after a failure, a cancel or
 * an app restart simply runs again: every step first checks whether its work is already there.
 */
export function createWizardService(deps: {
  hosts: HostService;
  settings: SettingsService;
  images: Pick<ImageService, 'catalog'>;
  transfers: TransferRegistry;
  events: EventBus;
  guestPublicKey(): Promise<string>;
  /** Hears of failures that are not AppErrors (bugs): the user sees a general message, the log the error. */
  log: Pick<Console, 'error'>;
  fetch?: typeof fetch;
}): WizardService {
  const reports = new Map<string, SetupReport>();
  const running = new Map<string, AbortController>();
  const fetchImpl = deps.fetch ?? fetch;
  // A removed host's report goes with it.
  deps.events.subscribe((event, payload) => {
    if (event === 'hosts.removed') reports.delete((payload as { id: string }).id);
  });

  async function run(hostId: string, options: Parameters<WizardService['run']>[1], controller: AbortController): Promise<SetupReport> {
    const connection = deps.hosts.connection(hostId);
    const settings = await deps.settings.get();
    const guestPublicKey = await deps.guestPublicKey();
    const version = options.firecrackerVersion ?? settings.firecrackerVersion;
    const report: SetupReport = {
      hostId,
      running: true,
      steps: setupSteps.map((s) => ({ name: s.name, title: s.title, status: 'pending', commands: [] })),
    };
    reports.set(hostId, report);
    const publish = (state: SetupStepState) => deps.events.emit('wizard.stepProgressed', { hostId, step: { ...state, commands: [...state.commands] }, running: report.running });
    let current: SetupStepState | undefined;
    let catalog: Promise<CatalogImage[]> | undefined;
    const ctx: SetupContext = {
      connection,
      connect: async () => {
        await deps.hosts.connect(hostId);
      },
      probe: () => deps.hosts.probe(hostId),
      version,
      releaseBaseUrl: settings.firecrackerReleaseBaseUrl,
      imageBaseUrl: settings.imageBaseUrl,
      catalog: () => (catalog ??= deps.images.catalog(hostId, { version, signal: controller.signal })),
      kernelKey: options.kernelKey,
      rootfsKey: options.rootfsKey,
      guestPublicKey,
      fetch: fetchImpl,
      transfers: deps.transfers,
      signal: controller.signal,
      command: (text) => {
        current?.commands.push(text);
        if (current) publish(current);
      },
      progress: (done, total) => {
        if (!current) return;
        current.progress = { done, total };
        publish(current);
      },
    };
    try {
      await runSteps(setupSteps, ctx, (step, status, detail) => {
        const state = report.steps.find((s) => s.name === step.name)!;
        if (status === 'running') current = state;
        if (status === 'undone') return; // setup steps undo nothing
        state.status = status;
        if (detail !== undefined) state.detail = detail;
        if (status !== 'running') delete state.progress;
        publish(state);
      });
    } catch (error) {
      if (current) {
        current.error = shape(error, current.name, controller.signal);
        publish(current);
      }
    } finally {
      report.running = false;
      report.finishedAt = new Date().toISOString();
      if (ctx.installed) report.installed = ctx.installed;
      if (current) publish(current);
    }
    return report;
  }

  function shape(error: unknown, step: string, signal: AbortSignal): AppErrorShape {
    if (signal.aborted) return { code: 'CANCELLED', message: 'The setup was cancelled; run it again to continue where it stopped.' };
    if (error instanceof AppError) {
      return { code: error.code, message: error.message, ...(error.remedy ? { remedy: error.remedy } : {}) };
    }
    deps.log.error(`host setup step ${step} failed unexpectedly`, error);
    return { code: 'INTERNAL', message: 'The step failed unexpectedly; the details are in Firedeck’s log.', remedy: 'Run the setup again. If it keeps failing, report it with the log.' };
  }

  return {
    async run(hostId, options) {
      // An unknown host is refused before anything is claimed or kept (NOT_FOUND, every time).
      deps.hosts.connection(hostId);
      if (running.has(hostId)) throw new AppError('CONFLICT', 'The setup of this host is already running.', { remedy: 'Wait for it, or cancel it.' });
      // Claimed before any await, so two clicks cannot start two runs; released however the run ends.
      const controller = new AbortController();
      running.set(hostId, controller);
      try {
        return await run(hostId, options, controller);
      } finally {
        running.delete(hostId);
      }
    },
    cancel(hostId) {
      const controller = running.get(hostId);
      controller?.abort();
      return controller !== undefined;
    },
    report: (hostId) => reports.get(hostId) ?? null,
    async grantKvmAccess(hostId) {
      await runHostScript(deps.hosts.connection(hostId), kvmGrant, [], { timeoutMs: 60_000 });
      deps.hosts.disconnect(hostId);
      await deps.hosts.connect(hostId);
      return { verdict: (await deps.hosts.probe(hostId)).kvm.verdict };
    },
  };
}
