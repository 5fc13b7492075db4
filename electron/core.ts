import { homedir } from 'node:os';
import { join } from 'node:path';
import { createAppRoutes } from './app/routes.js';
import { createNoticeBoard } from './app/notices.js';
import { createResourceRegistry } from './app/resources.js';
import { createEventBus } from './event-bus.js';
import type { EventBus } from './event-bus.js';
import { createRouter } from './router.js';
import type { Handlers, Router, RouterLog } from './router.js';
import { createHostRegistry, createHostsStore } from './hosts/host-registry.js';
import { createHostService } from './hosts/host-service.js';
import type { HostService, HostServiceDeps } from './hosts/host-service.js';
import { createHostRoutes } from './hosts/routes.js';
import { createImageService } from './images/image-service.js';
import { createImageRoutes } from './images/routes.js';
import { defaultSettings } from '../shared/channels/settings.js';
import { createGuestService } from './guest/guest-service.js';
import type { GuestAddressResolver } from './guest/guest-service.js';
import { networkGuestAddress } from './guest/guest-address.js';
import { createGuestRoutes } from './guest/routes.js';
import { createNetworkService } from './network/network-service.js';
import type { NetworkService } from './network/network-service.js';
import { startNetworkRepair } from './network/network-repair.js';
import type { NetworkRepair } from './network/network-repair.js';
import { createNetworkRoutes } from './network/routes.js';
import { createJailService } from './jail/jail-service.js';
import { createJailRoutes } from './jail/routes.js';
import { readSshConfigHosts } from './hosts/ssh-config-import.js';
import { createWorkspaceRoutes } from './workspaces/routes.js';
import { createWorkspaceService } from './workspaces/workspace-service.js';
import { createSecretStore, createSecretsFile } from './secrets/secret-store.js';
import { createVmRoutes } from './vms/routes.js';
import { createTransferRegistry } from './transfers/transfer-registry.js';
import { createTransferRoutes } from './transfers/routes.js';
import { guestPublicKey } from './wizard/guest-key.js';
import { createWizardRoutes } from './wizard/routes.js';
import { createWizardService } from './wizard/wizard-service.js';
import { createVmService } from './vms/vm-service.js';
import { createVmStarts } from './vms/vm-starts.js';
import type { SecretCipher } from './secrets/secret-store.js';
import { createSettingsRoutes } from './settings/routes.js';
import { createHostKeyTrust } from './ssh/host-key-trust.js';
import { createSettingsService, createSettingsStore } from './settings/settings-service.js';
import { createAppLog } from './log/app-log.js';
import type { AppLog } from './log/app-log.js';
import { logEvents } from './log/event-log.js';
import { redactingRouter } from './log/logging-router.js';
import { createDiagnosticsRoutes } from './log/routes.js';
import { createMetricsService } from './metrics/metrics-service.js';
import type { MetricsService } from './metrics/metrics-service.js';
import { createMetricsRoutes } from './metrics/routes.js';
import { createNotificationService } from './notifications/notification-service.js';
import { taskNotifyingRouter } from './notifications/task-router.js';
import type { OsNotifier } from './notifications/notification-service.js';
import { createNotificationRoutes } from './notifications/routes.js';

export interface CoreOptions {
  /** Where hosts, settings and trusted keys live (Electron's userData, or `--data-dir`). */
  dataDir: string;
  mode: 'electron' | 'browser';
  version: string;
  platform?: string;
  log?: RouterLog & Pick<Console, 'error'>;
  /** The user's home on this machine: ~/.ssh/known_hosts and ~/.ssh/config are read from it. */
  home?: string;
  /** SSH_AUTH_SOCK as Firedeck was started; each host may name another agent socket. */
  agentSocket?: string;
  /** OS-backed encryption for remembered passwords (Electron safeStorage); without it none are kept. */
  secretCipher?: SecretCipher;
  /** Connection timing; tests shorten the reconnect backoff. */
  ssh?: HostServiceDeps['ssh'];
  /** How long a guest gets to shut down before it is killed (default 10 s). */
  vmStopTimeoutMs?: number;
  /** How often VM lists are refreshed from connected hosts (default 3 s; 0: only on request). */
  vmPollMs?: number;
  /** How long a console may go without input or output before it is closed (default 15 min). */
  vmConsoleIdleMs?: number;
  /** Time between metrics samples of a watched host (default 3 s). */
  metricsIntervalMs?: number;
  /** OS notifications (Electron: createOsNotifier(Notification)); in-app notifications work without. */
  notifier?: OsNotifier;
  /** Shows a file in the file manager (Electron: shell.showItemInFolder); browser mode has none. */
  revealPath?: (path: string) => void;
  /** Where the host reaches a guest's sshd (default: the VM's network block, from the host). */
  guestAddress?: GuestAddressResolver;
}

/** The backend, independent of how the renderer reaches it. */
export interface Core {
  router: Router;
  /** Hosts and their live connections, for services built on them and for integration tests. */
  hosts: HostService;
  /** Guest networking (VM boot calls up/down/repair; integration tests too). */
  network: NetworkService;
  /** Each host's connect-time network repair: tests that make networks by hand wait for it first. */
  networkRepair: Pick<NetworkRepair, 'settled'>;
  events: EventBus;
  /** Live metrics (integration tests and benches look at its samplers). */
  metrics: MetricsService;
  /** The log file in the data folder (logs/firedeck.log). */
  appLog: AppLog;
  dataDir: string;
  /** 127.0.0.1 ports that forward to a guest now: the only http links the desktop window opens. */
  forwardedPorts(): number[];
  /** A window load or browser tab went away: closes everything it opened (consoles, terminals, forwards). */
  releaseOwner(ownerId: string): void;
  close(): Promise<void>;
}

/** The one place services are built and wired together. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const appLog = createAppLog({ dir: join(options.dataDir, 'logs') });
  const log = teeLog(appLog, options.log ?? defaultLog);
  const events = createEventBus(log);
  const stopEventLog = logEvents(events, appLog);
  const resources = createResourceRegistry(log);
  const notices = createNoticeBoard(events);
  const settingsStore = createSettingsStore(options.dataDir);
  const hostsStore = createHostsStore(options.dataDir);
  const secretsFile = options.secretCipher ? createSecretsFile(options.dataDir) : undefined;
  // A data file that could not be read was kept aside as a backup: the user hears of each one.
  for (const store of [settingsStore, hostsStore, secretsFile]) {
    const { recovered } = (await store?.load()) ?? {};
    if (recovered) notices.raise({ level: 'warning', message: recovered.message, remedy: recovered.remedy });
  }
  const settings = await createSettingsService({ store: settingsStore, events });

  const home = options.home ?? homedir();
  const { registry } = await createHostRegistry(hostsStore);
  const secrets = await createSecretStore(options.secretCipher && secretsFile ? { cipher: options.secretCipher, file: secretsFile } : {});
  const hosts = createHostService({
    registry,
    secrets,
    events,
    trust: createHostKeyTrust({
      userKnownHostsFiles: [join(home, '.ssh', 'known_hosts')],
      appKnownHostsFile: join(options.dataDir, 'known_hosts'),
    }),
    defaultAgentSocket: options.agentSocket,
    readSshConfig: () => readSshConfigHosts(join(home, '.ssh', 'config'), home),
    ssh: options.ssh,
    log,
  });

  const network = createNetworkService({ hosts, pool: () => settingsStore.current().networkPool ?? defaultSettings.networkPool });
  const vmStarts = createVmStarts();
  const vms = createVmService({ hosts, events, resources, network, starts: vmStarts, stopTimeoutMs: options.vmStopTimeoutMs, pollMs: options.vmPollMs, consoleIdleMs: options.vmConsoleIdleMs, jailSettings: async () => (await settings.get()).jail });
  const jails = createJailService({ hosts, events });
  const networkRepair = startNetworkRepair({ events, network, starts: vmStarts, listVms: () => vms.list(), log, sweepJails: (hostId) => jails.sweep(hostId) });
  const transfers = createTransferRegistry({ events });
  const workspaces = createWorkspaceService({ dataDir: options.dataDir, transfers, connection: (id) => hosts.connection(id), log });
  const images = createImageService({ hosts, workspaces, transfers, settings });
  const metrics = createMetricsService({ hosts, events, resources, intervalMs: options.metricsIntervalMs, log });
  const notifications = createNotificationService({ events, resources, notifier: options.notifier });
  const guest = createGuestService({ dataDir: options.dataDir, hosts, events, resources, transfers, workspaces, guestAddress: options.guestAddress ?? networkGuestAddress(network) });

  const handlers: Handlers = {
    ...createAppRoutes({
      info: {
        name: 'Firedeck',
        version: options.version,
        mode: options.mode,
        platform: options.platform ?? process.platform,
        dataDir: options.dataDir,
        canRememberSecrets: secrets.canRemember,
      },
      notices,
    }),
    ...createSettingsRoutes(settings),
    ...createHostRoutes(hosts),
    ...createWorkspaceRoutes(workspaces),
    ...createVmRoutes(vms),
    ...createTransferRoutes(transfers),
    ...createImageRoutes(images),
    ...createNetworkRoutes(network, secrets),
    ...createJailRoutes(jails),
    ...createWizardRoutes(createWizardService({ hosts, settings, images, transfers, events, log, guestPublicKey: () => guestPublicKey(options.dataDir) })),
    ...createMetricsRoutes(metrics),
    ...createNotificationRoutes(notifications),
    ...createGuestRoutes(guest),
    ...createDiagnosticsRoutes({
      log: appLog,
      info: { version: options.version, mode: options.mode, platform: options.platform ?? process.platform },
      hosts: () => hosts.list(),
      home,
      ...(options.revealPath ? { revealPath: options.revealPath } : {}),
    }),
  };

  // Hosts that were connected come back after a restart (those that need no secret).
  void hosts.connectAtStart();

  return {
    router: redactingRouter(taskNotifyingRouter(createRouter(handlers, log), { events, hostLabel: (id) => hosts.list().find((h) => h.id === id)?.label }), appLog.redact),
    hosts,
    network,
    networkRepair: { settled: (hostId) => networkRepair.settled(hostId) },
    events,
    metrics,
    appLog,
    dataDir: options.dataDir,
    forwardedPorts: () => guest.forwardedPorts(),
    releaseOwner: (ownerId) => {
      resources.releaseOwner(ownerId);
    },
    close: async () => {
      resources.closeAll('Firedeck is shutting down');
      metrics.close();
      notifications.close();
      guest.close();
      stopEventLog();
      networkRepair.stop();
      await vms.close();
      hosts.close();
    },
  };
}

/** Every line to the log file and to the log the shell gave (the console, or a test's). */
function teeLog(file: AppLog, other: RouterLog & Pick<Console, 'error'>): RouterLog & Pick<Console, 'error' | 'warn'> {
  return {
    warn: (message) => {
      file.warn(message);
      other.warn(message);
    },
    error: (message: string, error?: unknown) => {
      file.error(message, error);
      other.error(message, error);
    },
  };
}

const defaultLog: RouterLog & Pick<Console, 'error'> = {
  warn: (message) => console.warn(`[firedeck] ${message}`),
  error: (message, error?: unknown) => console.error(`[firedeck] ${message}`, error ?? ''),
};
