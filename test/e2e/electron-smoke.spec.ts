import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectronBinary } from '../../scripts/electron-binary.mjs';

const binary = findElectronBinary();

test.skip(
  binary === null,
  "Electron's binary is not installed on this machine (Electron 45+ downloads it on first launch, and github.com is unreachable here); the browser-mode suites cover the renderer and backend.",
);

test('the desktop app opens one hardened window on the shell', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'firedeck-electron-'));
  const app = await electron.launch({
    executablePath: binary!,
    args: [fileURLToPath(new URL('../..', import.meta.url)), `--data-dir=${dataDir}`],
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { level: 1 })).toHaveText('Hosts');
    await expect(window.locator('.sidebar-footer').getByRole('status')).toHaveText('Backend connected');
    // The preload exposes exactly invoke/on; Node stays out of the page.
    const surface = await window.evaluate(() => ({
      keys: Object.keys((window as unknown as { firedeck: object }).firedeck).sort(),
      hasRequire: typeof (window as unknown as { require?: unknown }).require !== 'undefined',
      hasProcess: typeof (window as unknown as { process?: unknown }).process !== 'undefined',
    }));
    expect(surface).toEqual({ keys: ['invoke', 'on'], hasRequire: false, hasProcess: false });
    const info = await window.evaluate(() => (window as unknown as { firedeck: { invoke(c: string): Promise<unknown> } }).firedeck.invoke('app.getInfo'));
    expect(info).toMatchObject({ ok: true, value: { mode: 'electron', dataDir } });
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
