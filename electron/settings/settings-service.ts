import { defaultSettings, settingsSchema } from '../../shared/channels/settings.js';
import type { Settings } from '../../shared/channels/settings.js';
import type { EventBus } from '../event-bus.js';
import type { NoticeBoard } from '../app/notices.js';
import { createJsonStore } from '../store/json-store.js';
import { createSerialQueue } from '../store/serial-queue.js';
import type { JsonStore } from '../store/json-store.js';

export interface SettingsService {
  get(): Promise<Settings>;
  update(patch: Partial<Settings>): Promise<Settings>;
  reset(): Promise<Settings>;
}

/**
 * Stored settings are read leniently (a field added by a newer release falls back to its
 * default) and written whole. The store only ever sees complete, validated settings.
 */
const storedSettingsSchema = settingsSchema.partial();

export function createSettingsStore(dataDir: string): JsonStore<Partial<Settings>> {
  return createJsonStore({
    dir: dataDir,
    name: 'settings.json',
    schemaVersion: 1,
    schema: storedSettingsSchema,
    defaults: () => ({}),
  });
}

export async function createSettingsService(deps: {
  store: JsonStore<Partial<Settings>>;
  events: EventBus;
  notices: NoticeBoard;
}): Promise<SettingsService> {
  const { store, events, notices } = deps;
  const loaded = await store.load();
  if (loaded.recovered) {
    notices.raise({
      level: 'warning',
      message: `Your settings file could not be read (${loaded.recovered.reason}). Firedeck kept it as ${loaded.recovered.backupName} in its data folder and started with default settings.`,
      remedy: 'Check your settings in Settings. Values you need can be copied back from the backup file.',
    });
  }
  let current: Settings = { ...defaultSettings, ...loaded.data };

  const changes = createSerialQueue();
  /** Each change applies to the settings as they are when its turn comes: none is lost. */
  const replace = (change: (previous: Settings) => Settings) =>
    changes.run(async () => {
      const next = change(current);
      await store.save(next);
      current = next;
      events.emit('settings.changed', current);
      return current;
    });

  return {
    get: async () => current,
    update: (patch) => replace((previous) => ({ ...previous, ...patch })),
    reset: () => replace(() => ({ ...defaultSettings })),
  };
}
