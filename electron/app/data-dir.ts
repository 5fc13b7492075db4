import { join } from 'node:path';

/**
 * Where Electron keeps `userData` for an app named Firedeck, so that browser mode
 * (`npm run web`) finds the same hosts and settings as the desktop app.
 */
export function defaultDataDir(platform: string, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Firedeck');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Firedeck');
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Firedeck');
}
