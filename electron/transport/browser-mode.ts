import { spawn } from 'node:child_process';
import { createCore } from '../core.js';
import type { Core } from '../core.js';
import { startBridge } from './bridge.js';
import type { Bridge } from './bridge.js';

/** Starts a program (`xdg-open URL`) detached from this one; what `child_process.spawn` returns, narrowed. */
export type SpawnOpener = (command: string, args: string[]) => { on(event: 'error', listener: (error: Error) => void): unknown; unref(): void };

export interface BrowserModeOptions {
  dataDir: string;
  version: string;
  port: number;
  /** The built renderer (`dist/renderer`). */
  staticRoot: string;
  /** Start the user's browser on the app (without `--no-open`). */
  openBrowser: boolean;
  /** Where the lines for the user go (stdout: the user's own terminal). */
  print(line: string): void;
  agentSocket?: string;
  platform?: NodeJS.Platform;
  spawnOpener?: SpawnOpener;
  log?: Pick<Console, 'warn' | 'error'>;
}

export interface BrowserMode {
  core: Core;
  bridge: Bridge;
  stop(): Promise<void>;
}

/**
 * `npm run web`: the desktop app's backend in plain Node, reached from a browser on this machine.
 * The address printed holds the session token; the browser is started with a one-time launch
 * code instead, because its command line is readable by every local user for as long as it runs.
 */
export async function startBrowserMode(options: BrowserModeOptions): Promise<BrowserMode> {
  // Browser mode gets no secret cipher: it never remembers a password.
  const core = await createCore({ dataDir: options.dataDir, mode: 'browser', version: options.version, agentSocket: options.agentSocket });
  let bridge: Bridge;
  try {
    bridge = await startBridge({
      router: core.router,
      events: core.events,
      releaseOwner: core.releaseOwner,
      staticRoot: options.staticRoot,
      port: options.port,
      log: options.log,
    });
  } catch (error) {
    await core.close();
    throw error;
  }

  options.print(`Firedeck ${options.version} is running in browser mode.`);
  options.print(`Data folder: ${options.dataDir}`);
  options.print(`Open this address (it holds this launch's access token, keep it private):`);
  options.print(`  ${bridge.url}`);
  if (options.openBrowser) {
    options.print('Opening your browser with a one-time link (it holds no token and works once).');
    openInBrowser(bridge.launchUrl(), options);
  }

  return {
    core,
    bridge,
    stop: async () => {
      await bridge.close();
      await core.close();
    },
  };
}

/** The command that opens `url` in the user's browser on each platform. */
export function openerCommand(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '', url]];
  return ['xdg-open', [url]];
}

const spawnDetached: SpawnOpener = (command, args) => spawn(command, args, { detached: true, stdio: 'ignore' });

function openInBrowser(url: string, options: Pick<BrowserModeOptions, 'platform' | 'spawnOpener' | 'print'>) {
  const [command, args] = openerCommand(options.platform ?? process.platform, url);
  const child = (options.spawnOpener ?? spawnDetached)(command, args);
  child.on('error', () => options.print(`(Could not start ${command} to open a browser; open the address above yourself.)`));
  child.unref();
}
