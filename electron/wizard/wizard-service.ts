import type { CatalogImage, SetupReport, SetupStepState } from '../../shared/channels/wizard.js';
import type { AppErrorShape } from '../../shared/errors.js';
import { AppError } from '../app-error.js';
import type { EventBus } from '../event-bus.js';
import type { HostService } from '../hosts/host-service.js';
import { fetchCatalog } from '../images/catalog.js';
import type { SettingsService } from '../settings/settings-service.js';
import { setupSteps } from './setup-steps.js';
import type { SetupContext } from './setup-steps.js';

export interface WizardService {
  run(hostId: string, options: { firecrackerVersion?: string; kernelKey?: string; rootfsKey?: string }): Promise<SetupReport>;
  cancel(hostId: string): boolean;
  report(hostId: string): SetupReport | null;
  grantKvmAccess(hostId: string): Promise<{ verdict: string }>;
  catalog(hostId: string): Promise<CatalogImage[]>;
}

/**
 * The host setup wizard: the steps run here, in main, and report each change as a
 * `wizard.stepProgressed` event. A run after a failure, a cancel or an app restart simply runs
 * again: every step first checks whether its work is already there.
 */
export function createWizardService(deps: {
  hosts: HostService;
  settings: SettingsService;
  events: EventBus;
  guestPublicKey(): Promise<string>;
  fetch?: typeof fetch;
}): WizardService {
  const reports = new Map<string, SetupReport>();
  const running = new Map<string, AbortController>();
  const fetchImpl = deps.fetch ?? fetch;

  async function catalogFor(hostId: string, version: string, signal?: AbortSignal) {
    const { probe } = await deps.hosts.context(hostId);
    const settings = await deps.settings.get();
    return fetchCatalog({ imageBaseUrl: settings.imageBaseUrl, version, hostArch: probe.arch, fetch: fetchImpl, signal });
  }

  return {
    async run(hostId, options) {
      if (running.has(hostId)) throw new AppError('CONFLICT', 'The setup of this host is already running.', { remedy: 'Wait for it, or cancel it.' });
      // Claimed before any await, so two clicks cannot start two runs.
      const controller = new AbortController();
      running.set(hostId, controller);
      let settings: Awaited<ReturnType<SettingsService['get']>>;
      let guestPublicKey: string;
      try {
        settings = await deps.settings.get();
        guestPublicKey = await deps.guestPublicKey();
      } catch (error) {
        running.delete(hostId);
        throw error;
      }
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
        connection: deps.hosts.connection(hostId),
        connect: async () => {
          await deps.hosts.connect(hostId);
        },
        probe: () => deps.hosts.probe(hostId),
        version,
        releaseBaseUrl: settings.firecrackerReleaseBaseUrl,
        imageBaseUrl: settings.imageBaseUrl,
        catalog: () => (catalog ??= catalogFor(hostId, version, controller.signal)),
        kernelKey: options.kernelKey,
        rootfsKey: options.rootfsKey,
        guestPublicKey,
        fetch: fetchImpl,
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
        for (const [index, step] of setupSteps.entries()) {
          current = report.steps[index]!;
          current.status = 'running';
          publish(current);
          try {
            const skipped = step.check ? await step.check(ctx) : null;
            current.detail = skipped ?? (await step.run(ctx));
            current.status = skipped ? 'skipped' : 'done';
          } catch (error) {
            const shaped: AppErrorShape = controller.signal.aborted
              ? { code: 'CANCELLED', message: 'The setup was cancelled; run it again to continue where it stopped.' }
              : error instanceof AppError
                ? { code: error.code, message: error.message, ...(error.remedy ? { remedy: error.remedy } : {}) }
                : { code: 'INTERNAL', message: 'The step failed unexpectedly.', remedy: 'Run the setup again.' };
            current.status = 'failed';
            current.error = shaped;
            return report;
          } finally {
            delete current.progress;
            publish(current);
          }
        }
        return report;
      } finally {
        report.running = false;
        report.finishedAt = new Date().toISOString();
        running.delete(hostId);
        if (current) publish(current);
      }
    },
    cancel(hostId) {
      const controller = running.get(hostId);
      controller?.abort();
      return controller !== undefined;
    },
    report: (hostId) => reports.get(hostId) ?? null,
    async grantKvmAccess(hostId) {
      const connection = deps.hosts.connection(hostId);
      // The group of /dev/kvm (kvm on most distributions); membership counts from the next login.
      const result = await connection.exec('group=$(stat -c %G /dev/kvm) || exit 2\nsudo -n usermod -aG "$group" "$(id -un)" || exit 3', { timeoutMs: 60_000 });
      if (result.exitCode === 3) {
        throw new AppError('SUDO_REQUIRED', 'Adding you to the kvm group needs sudo, and sudo asks for a password here (or is not installed).', {
          remedy: 'Run on the host: sudo usermod -aG kvm $USER (or sudo setfacl -m u:$USER:rw /dev/kvm), then run the setup again.',
        });
      }
      if (result.exitCode !== 0) throw new AppError('HOST_COMMAND_FAILED', `The kvm group could not be changed: ${(result.output || result.stderr).trim()}`);
      deps.hosts.disconnect(hostId);
      await deps.hosts.connect(hostId);
      return { verdict: (await deps.hosts.probe(hostId)).kvm.verdict };
    },
    async catalog(hostId) {
      return catalogFor(hostId, (await deps.settings.get()).firecrackerVersion);
    },
  };
}
