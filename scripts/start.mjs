// `npm start`: build, make sure Electron's binary is there (downloading it on first launch),
// then run the desktop app. Extra arguments (e.g. --data-dir=DIR) are passed to the app.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.mjs';
import { electronInstaller, findElectronBinary } from './electron-binary.mjs';

await buildAll({ quiet: true });

let binary = findElectronBinary();
if (!binary) {
  console.log('Downloading Electron (first launch only)…');
  const install = spawnSync(process.execPath, [electronInstaller], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  binary = findElectronBinary();
  if (!binary) {
    const reason = String(install.stderr ?? '').split('\n').find((line) => /error/i.test(line))?.trim();
    console.error(
      `Firedeck could not start: Electron's binary is not installed and could not be downloaded${reason ? ` (${reason})` : ''}.\n` +
        'Run `npm run web` to use Firedeck in your browser instead, or retry `npm start` once github.com is reachable.',
    );
    process.exit(1);
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));
const child = spawn(binary, [root, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
