/**
 * Electron entry point. Kept thin: it builds the core, serves the renderer from app://,
 * applies the security policy and opens the window. Everything else runs in plain Node.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, Notification, app, dialog, ipcMain, nativeTheme, protocol, safeStorage, screen, session, shell } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import { keepRunningOnUnexpectedErrors } from './app/last-resort.js';
import { createWindowStateStore, restorableBounds } from './app/window-state.js';
import type { WindowState } from './app/window-state.js';
import { createCore } from './core.js';
import { createOsNotifier } from './notifications/os-notifier.js';
import { APP_ORIGIN, APP_SCHEME, contentSecurityPolicy, hardenSession, hardenWebContents, isAppUrl, windowOptions } from './security.js';
import { registerIpc } from './transport/ipc.js';
import { resolveStaticFile } from './transport/static-files.js';

// An error no listener handled is logged; the windows and their host connections stay up.
keepRunningOnUnexpectedErrors(process, console);

const rendererRoot = fileURLToPath(new URL('../renderer/', import.meta.url));
const preloadPath = fileURLToPath(new URL('./preload.cjs', import.meta.url));

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/** Filled once the core exists: a guest's forwarded ports are the only http links windows may open. */
let forwardedPorts: () => readonly number[] = () => [];
app.on('web-contents-created', (_event, contents) => {
  hardenWebContents(contents, (url) => void shell.openExternal(url), () => forwardedPorts());
});

function createWindow(saved: WindowState | null, remember: (state: WindowState) => void): BrowserWindow {
  const options = windowOptions({ preload: preloadPath, platform: process.platform, dark: nativeTheme.shouldUseDarkColors });
  const bounds = restorableBounds(saved?.bounds, screen.getAllDisplays().map((d) => d.workArea), { width: options.minWidth, height: options.minHeight });
  const window = new BrowserWindow({ ...options, ...(bounds ?? {}) });
  window.once('ready-to-show', () => {
    if (bounds && saved?.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => remember({ bounds: window.getNormalBounds(), maximized: window.isMaximized() }));
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

function focus(window: BrowserWindow | undefined) {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

const menuTemplate: MenuItemConstructorOptions[] = [
  ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
  { role: 'fileMenu' },
  { role: 'editMenu' },
  { role: 'viewMenu' },
  { role: 'windowMenu' },
];

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => focus(BrowserWindow.getAllWindows()[0]));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // `--data-dir=DIR` keeps a separate set of hosts and settings, as in browser mode.
  const dataDir = app.commandLine.getSwitchValue('data-dir') || app.getPath('userData');
  app.whenReady().then(async () => {
    hardenSession(session.defaultSession);
    protocol.handle(APP_SCHEME, async (request) => {
      const url = new URL(request.url);
      const file = isAppUrl(request.url) ? resolveStaticFile(rendererRoot, url.pathname) : null;
      const body = file && (await readFile(file.path).catch(() => null));
      if (!file || !body) return new Response('Not found', { status: 404 });
      return new Response(body, {
        headers: { 'Content-Type': file.contentType, 'Content-Security-Policy': contentSecurityPolicy() },
      });
    });

    const core = await createCore({
      dataDir,
      mode: 'electron',
      version: app.getVersion(),
      agentSocket: process.env.SSH_AUTH_SOCK,
      // Remembered passwords are encrypted with a key the OS keeps (Keychain on macOS).
      secretCipher: safeStorage.isEncryptionAvailable()
        ? { encrypt: (plain) => safeStorage.encryptString(plain), decrypt: (encrypted) => safeStorage.decryptString(encrypted) }
        : undefined,
      notifier: createOsNotifier(Notification),
      revealPath: (path) => shell.showItemInFolder(path),
    });
    forwardedPorts = () => core.forwardedPorts();
    registerIpc(ipcMain, core, () => BrowserWindow.getAllWindows().map((w) => w.webContents));
    app.setAboutPanelOptions({
      applicationName: 'Firedeck',
      applicationVersion: app.getVersion(),
      copyright: 'Copyright © 2026 Firedeck contributors',
      credits: 'Firecracker microVMs on your Linux hosts, over SSH.',
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate));
    const windowState = createWindowStateStore(dataDir);
    const saved = (await windowState.load()).data;
    const remember = (state: WindowState) => void windowState.save(state).catch(() => {});
    createWindow(saved, remember);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createWindow(saved, remember);
    });
    // Close SSH connections and API clients cleanly before the process goes (microVMs keep running).
    let closing = false;
    app.on('will-quit', (event) => {
      if (closing) return;
      closing = true;
      event.preventDefault();
      void core.close().finally(() => app.exit(0));
    });
  }).catch((error: unknown) => {
    // Without a backend there is nothing to show: say why, then quit rather than hang windowless.
    dialog.showErrorBox('Firedeck could not start', `${error instanceof Error ? error.message : String(error)}\n\nCheck that your user can read and write the Firedeck data folder (${dataDir}).`);
    app.exit(1);
  });
}
