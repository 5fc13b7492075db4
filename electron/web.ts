/**
 * Browser mode: `npm run web -- [--port PORT] [--data-dir DIR] [--no-open]`.
 * The same backend as the desktop app, in plain Node, reached from a browser on this machine.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultDataDir } from './app/data-dir.js';
import { keepRunningOnUnexpectedErrors } from './app/last-resort.js';
import { appVersion } from './build-info.js';
import { startBrowserMode } from './transport/browser-mode.js';
import type { BrowserMode } from './transport/browser-mode.js';

const usage = `Usage: npm run web -- [--port PORT] [--data-dir DIR] [--no-open]

  --port PORT      port on 127.0.0.1 to serve Firedeck on (default: a free port)
  --data-dir DIR   where hosts, settings and trusted host keys are kept
                   (default: the desktop app's data folder)
  --no-open        print the address instead of opening a browser`;

async function main() {
  // An error no listener handled is logged; open tabs and host connections stay up.
  keepRunningOnUnexpectedErrors(process, console);
  let args;
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    fatal(`${(error as Error).message}\n\n${usage}`);
  }
  if (args.help) {
    console.log(usage);
    return;
  }
  const port = args.port === undefined ? 0 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fatal(`--port must be a number from 0 to 65535, not ${JSON.stringify(args.port)}.`);
  const dataDir = resolve(args['data-dir'] ?? defaultDataDir(process.platform, process.env, homedir()));

  let mode: BrowserMode;
  try {
    mode = await startBrowserMode({
      dataDir,
      version: appVersion,
      port,
      staticRoot: fileURLToPath(new URL('../renderer/', import.meta.url)),
      openBrowser: !args['no-open'],
      print: (line) => console.log(line),
      agentSocket: process.env.SSH_AUTH_SOCK,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') fatal(`Port ${port} on 127.0.0.1 is already in use. Pick another with --port, or leave it out to use a free one.`);
    throw error;
  }

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await mode.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

function fatal(message: string): never {
  console.error(message);
  process.exit(2);
}

main().catch((error: unknown) => {
  console.error('Firedeck could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
