import type { settingsChannels } from '../../shared/channels/settings.js';
import type { RoutesOf } from '../router.js';
import type { SettingsService } from './settings-service.js';

export function createSettingsRoutes(
  settings: SettingsService,
): RoutesOf<typeof settingsChannels> {
  return {
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
    'settings.reset': () => settings.reset(),
  };
}
