// Builds everything the app runs: the renderer (Vite) into dist/renderer, and the main
// process, preload and browser-mode server (esbuild) into dist/electron.
import { readFile, rm } from 'node:fs/promises';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

const root = new URL('..', import.meta.url);
const pkg = JSON.parse(await readFile(new URL('package.json', root), 'utf8'));

export async function buildAll({ quiet = false } = {}) {
  await rm(new URL('dist', root), { recursive: true, force: true });
  await viteBuild({ configFile: new URL('vite.config.ts', root).pathname, logLevel: quiet ? 'warn' : 'info' });
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: false,
    // Dependencies stay in node_modules: ssh2 carries optional native parts that must not be bundled.
    packages: 'external',
    define: { __FIREDECK_VERSION__: JSON.stringify(pkg.version) },
    // Host scripts (electron/host-scripts/*.sh) are bundled as their text.
    loader: { '.sh': 'text' },
    logLevel: quiet ? 'warning' : 'info',
    absWorkingDir: root.pathname,
  };
  // The backend is one module (core.js) that both entry points load, so what the desktop app and
  // browser mode run is the same file, and a packaged build can be checked by loading it alone.
  const sharedCore = { external: ['./core.js'] };
  await Promise.all([
    esbuild({ ...common, entryPoints: ['electron/core.ts'], outfile: 'dist/electron/core.js', format: 'esm' }),
    esbuild({ ...common, ...sharedCore, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.js', format: 'esm', external: ['electron', './core.js'] }),
    esbuild({ ...common, ...sharedCore, entryPoints: ['electron/web.ts'], outfile: 'dist/electron/web.js', format: 'esm' }),
    // Sandboxed preloads must be CommonJS.
    esbuild({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', external: ['electron'] }),
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildAll({ quiet: process.argv.includes('--quiet') });
}
