import type { HandlersFor } from '../router.js';
import type { SettingsService } from './settings-service.js';

export function createSettingsRoutes(
  settings: SettingsService,
): HandlersFor<'settings.get' | 'settings.update' | 'settings.reset'> {
  return {
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
    'settings.reset': () => settings.reset(),
  };
}
