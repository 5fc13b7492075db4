// Finds the Electron binary without downloading it. Electron 45+ fetches its binary on first
// launch rather than at `npm install`, so a fresh clone may not have one yet.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const electronDir = fileURLToPath(new URL('../node_modules/electron/', import.meta.url));

export function findElectronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronDir, 'dist');
  if (!relative) return null;
  const binary = join(dist, relative);
  return existsSync(binary) ? binary : null;
}

export const electronInstaller = join(electronDir, 'install.js');
