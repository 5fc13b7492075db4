// Bundles the Firecracker API emulator (a test double, sources beside this file) into one
// self-contained executable Node file, the `firecracker` that test hosts and test release
// tarballs get. Run by the vitest and Playwright global setups and by `npm run bench`.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));

/** Where the bundle goes (git-ignored). */
export const emulatorBuildPath = join(here, '..', '.build', 'firecracker');

/** Builds the emulator; atomic, so concurrent test processes never see half a file. Returns its path. */
export async function buildEmulator() {
  mkdirSync(dirname(emulatorBuildPath), { recursive: true });
  // The repository is an ES module package; the bundle is CommonJS, as it is on test hosts.
  writeFileSync(join(dirname(emulatorBuildPath), 'package.json'), '{ "type": "commonjs" }\n');
  const tmp = `${emulatorBuildPath}.${process.pid}.tmp`;
  await build({
    entryPoints: [join(here, 'main.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    legalComments: 'none',
    logLevel: 'warning',
  });
  chmodSync(tmp, 0o755);
  renameSync(tmp, emulatorBuildPath);
  return emulatorBuildPath;
}
