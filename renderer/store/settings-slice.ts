import type { Settings, Theme } from '../../shared/channels/settings';
import { toFiredeckError } from '../api/firedeck-error';
import { patchSlice } from './slice';
import type { SliceContext } from './slice';

export interface SettingsSlice {
  value?: Settings;
  saving: boolean;
  /** The last failure, shown above the form. */
  error?: { message: string; remedy?: string };
  /** Field name → message from the backend's validation. */
  fieldErrors: Record<string, string>;
  load(): Promise<void>;
  /** Resolves true when saved; on failure the slice holds the errors to show. */
  save(patch: Partial<Settings>): Promise<boolean>;
  reset(): Promise<boolean>;
  applyRemote(settings: Settings): void;
}

export function createSettingsSlice(ctx: SliceContext): SettingsSlice {
  async function run(request: () => Promise<Settings>): Promise<boolean> {
    patchSlice(ctx, 'settings', { saving: true, error: undefined, fieldErrors: {} });
    try {
      patchSlice(ctx, 'settings', { value: await request(), saving: false });
      return true;
    } catch (caught) {
      const error = toFiredeckError(caught);
      patchSlice(ctx, 'settings', {
        saving: false,
        error: { message: error.message, remedy: error.remedy },
        fieldErrors: error.fieldErrors(),
      });
      return false;
    }
  }

  return {
    saving: false,
    fieldErrors: {},
    async load() {
      patchSlice(ctx, 'settings', { value: await ctx.api.invoke('settings.get') });
    },
    save: (patch) => run(() => ctx.api.invoke('settings.update', patch)),
    reset: () => run(() => ctx.api.invoke('settings.reset')),
    applyRemote: (value) => patchSlice(ctx, 'settings', { value }),
  };
}

/** The theme to draw with: the user's choice, or the system's when they chose "system". */
export function effectiveTheme(choice: Theme | undefined, systemPrefersDark: boolean): 'light' | 'dark' {
  if (choice === 'light' || choice === 'dark') return choice;
  return systemPrefersDark ? 'dark' : 'light';
}
