import { EventEmitter } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startBrowserMode } from '../../../../electron/transport/browser-mode';
import type { BrowserMode, SpawnOpener } from '../../../../electron/transport/browser-mode';
import { BRIDGE_CLOSE_LAUNCH_CODE_REFUSED } from '../../../../shared/bridge-protocol';
import { connectBridge, opened, request } from '../../../support/bridge-sockets';
import { makeTempDir } from '../../../support/temp-dir';

// `npm run web` without --no-open: what lands on a command line (readable by every local user in
// /proc/PID/cmdline, for as long as the browser runs) must be worth nothing once the browser used it.
let dir: Awaited<ReturnType<typeof makeTempDir>>;
let mode: BrowserMode | undefined;
let printed: string[];
let spawned: { command: string; args: string[] }[];

const recordingOpener: SpawnOpener = (command, args) => {
  spawned.push({ command, args });
  return Object.assign(new EventEmitter(), { unref: () => {} });
};

beforeEach(async () => {
  dir = await makeTempDir();
  await mkdir(join(dir.path, 'renderer'));
  await writeFile(join(dir.path, 'renderer', 'index.html'), '<!doctype html>');
  printed = [];
  spawned = [];
});
afterEach(async () => {
  await mode?.stop();
  mode = undefined;
  await dir.cleanup();
});

const start = (openBrowser: boolean, platform: NodeJS.Platform = 'linux') =>
  startBrowserMode({
    dataDir: join(dir.path, 'data'),
    version: '9.9.9',
    port: 0,
    staticRoot: join(dir.path, 'renderer'),
    openBrowser,
    print: (line) => void printed.push(line),
    platform,
    spawnOpener: recordingOpener,
    log: { warn: () => {}, error: () => {} },
  });

describe('npm run web', () => {
  it('prints the address with the token for the user, and starts the browser with a one-time code that is worth nothing after use', async () => {
    mode = await start(true);
    const { token, port } = mode.bridge;
    expect(printed.join('\n')).toContain(`http://127.0.0.1:${port}/#token=${token}`);

    expect(spawned).toHaveLength(1);
    const commandLine = [spawned[0]!.command, ...spawned[0]!.args];
    expect(commandLine[0]).toBe('xdg-open');
    expect(commandLine.join(' ')).not.toContain(token);
    const launch = new URL(commandLine.at(-1)!);
    expect(launch.origin).toBe(`http://127.0.0.1:${port}`);
    const code = /^#launch=([\w-]+)$/.exec(launch.hash)?.[1];
    expect(code).toBeDefined();

    // The browser's exchange: the code buys the token once.
    const browserTab = await connectBridge(port, `?launch=${code}`);
    expect(browserTab).toMatchObject({ sessionToken: token });
    expect(await request(opened(browserTab), { type: 'invoke', id: 1, channel: 'app.getInfo' })).toMatchObject({ ok: true, value: { mode: 'browser' } });
    // Anyone reading the command line later gets nothing.
    expect(await connectBridge(port, `?launch=${code}`)).toMatchObject({ closed: BRIDGE_CLOSE_LAUNCH_CODE_REFUSED });
    expect(await connectBridge(port, `?launch=${code}`)).toMatchObject({ closed: BRIDGE_CLOSE_LAUNCH_CODE_REFUSED });
    opened(browserTab).close();
  });

  it('keeps the token off the command line on macOS and Windows too', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      mode = await start(true, platform);
      const commandLine = spawned.at(-1)!;
      expect(commandLine.command).toBe(platform === 'darwin' ? 'open' : 'cmd');
      expect([commandLine.command, ...commandLine.args].join(' ')).not.toContain(mode.bridge.token);
      expect(commandLine.args.at(-1)).toMatch(/#launch=[\w-]+$/);
      await mode.stop();
      mode = undefined;
    }
  });

  it('with --no-open starts nothing and only prints the address', async () => {
    mode = await start(false);
    expect(spawned).toEqual([]);
    expect(printed.join('\n')).toContain(mode.bridge.url);
  });

  it('says what to do when no browser can be started', async () => {
    mode = await startBrowserMode({
      dataDir: join(dir.path, 'data'),
      version: '9.9.9',
      port: 0,
      staticRoot: join(dir.path, 'renderer'),
      openBrowser: true,
      print: (line) => void printed.push(line),
      platform: 'linux',
      spawnOpener: () => {
        const child = Object.assign(new EventEmitter(), { unref: () => {} });
        queueMicrotask(() => child.emit('error', Object.assign(new Error('spawn xdg-open ENOENT'), { code: 'ENOENT' })));
        return child;
      },
      log: { warn: () => {}, error: () => {} },
    });
    await vi.waitFor(() => expect(printed.at(-1)).toBe('(Could not start xdg-open to open a browser; open the address above yourself.)'));
  });
});
