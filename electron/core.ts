import { createAppRoutes } from './app/routes.js';
import { createNoticeBoard } from './app/notices.js';
import { createEventBus } from './event-bus.js';
import type { EventBus } from './event-bus.js';
import { createRouter } from './router.js';
import type { Handlers, Router, RouterLog } from './router.js';
import { createSettingsRoutes } from './settings/routes.js';
import { createSettingsService, createSettingsStore } from './settings/settings-service.js';

export interface CoreOptions {
  /** Where hosts, settings and trusted keys live (Electron's userData, or `--data-dir`). */
  dataDir: string;
  mode: 'electron' | 'browser';
  version: string;
  platform?: string;
  log?: RouterLog & Pick<Console, 'error'>;
}

/** The backend, independent of how the renderer reaches it. */
export interface Core {
  router: Router;
  events: EventBus;
  dataDir: string;
  close(): Promise<void>;
}

/** The one place services are built and wired together. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const log = options.log ?? defaultLog;
  const events = createEventBus(log);
  const notices = createNoticeBoard(events);
  const settings = await createSettingsService({
    store: createSettingsStore(options.dataDir),
    events,
    notices,
  });

  const handlers: Handlers = {
    ...createAppRoutes({
      info: {
        name: 'Firedeck',
        version: options.version,
        mode: options.mode,
        platform: options.platform ?? process.platform,
        dataDir: options.dataDir,
      },
      notices,
    }),
    ...createSettingsRoutes(settings),
  };

  return {
    router: createRouter(handlers, log),
    events,
    dataDir: options.dataDir,
    close: async () => {},
  };
}

const defaultLog: RouterLog & Pick<Console, 'error'> = {
  warn: (message) => console.warn(`[firedeck] ${message}`),
  error: (message, error?: unknown) => console.error(`[firedeck] ${message}`, error ?? ''),
};
