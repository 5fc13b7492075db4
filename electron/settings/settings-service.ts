import { defaultSettings, settingsSchema } from '../../shared/channels/settings.js';
import type { Settings } from '../../shared/channels/settings.js';
import type { EventBus } from '../event-bus.js';
import { createJsonStore } from '../store/json-store.js';
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
    recovery: {
      what: 'Your settings file',
      consequence: 'started with default settings',
      remedy: 'Check your settings in Settings. Values you need can be copied back from the backup file.',
    },
  });
}

export async function createSettingsService(deps: { store: JsonStore<Partial<Settings>>; events: EventBus }): Promise<SettingsService> {
  const { store, events } = deps;
  await store.load();
  const current = (): Settings => ({ ...defaultSettings, ...store.current() });

  /** Each change applies to the settings as they are when its turn comes: none is lost. */
  const replace = async (change: (previous: Settings) => Settings) => {
    const next = await store.update((stored) => {
      const whole = change({ ...defaultSettings, ...stored });
      return { next: whole, result: whole };
    });
    events.emit('settings.changed', next);
    return next;
  };

  return {
    get: async () => current(),
    update: (patch) => replace((previous) => ({ ...previous, ...patch })),
    reset: () => replace(() => ({ ...defaultSettings })),
  };
}
