// `npm run web -- [--port PORT] [--data-dir DIR] [--no-open]`: build, then serve in browser mode.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildAll } from './build.mjs';

await buildAll({ quiet: true });
const server = fileURLToPath(new URL('../dist/electron/web.js', import.meta.url));
const child = spawn(process.execPath, [server, ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
