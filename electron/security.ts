/**
 * Electron security policy in one place, kept free of Electron imports so it is unit-tested in
 * plain Node. Each rule names the item of Electron's security checklist
 * (https://www.electronjs.org/docs/latest/tutorial/security) it implements.
 */

/** The renderer is served from this privileged custom scheme, never from file:// (item 18). */
export const APP_SCHEME = 'app';
const APP_HOST = 'firedeck';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export interface WindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  titleBarStyle?: 'hiddenInset';
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    experimentalFeatures: false;
    navigateOnDragDrop: false;
    spellcheck: false;
  };
}

export function windowOptions(options: { preload: string; platform: string; dark: boolean }): WindowOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    show: false, // shown on ready-to-show, so the window never flashes white
    title: 'Firedeck',
    backgroundColor: options.dark ? '#15171c' : '#f6f7f9',
    ...(options.platform === 'darwin' ? { titleBarStyle: 'hiddenInset' as const } : {}),
    webPreferences: {
      preload: options.preload,
      contextIsolation: true, // item 3
      sandbox: true, // item 4
      nodeIntegration: false, // item 2
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true, // item 6
      allowRunningInsecureContent: false, // item 8
      webviewTag: false, // item 12
      experimentalFeatures: false, // item 9
      navigateOnDragDrop: false, // a dropped file must not replace the app page
      spellcheck: false,
    },
  };
}

/** Item 7. `connectSrc` lists what the renderer may talk to besides its own origin. */
export function contentSecurityPolicy(options: { connectSrc?: readonly string[] } = {}): string {
  const directives: Record<string, readonly string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    // xterm.js (the serial console) writes its theme into a <style> element it creates. Inline
    // styles cannot run code; scripts stay limited to the app's own files.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...(options.connectSrc ?? [])],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

export function isAppUrl(url: string): boolean {
  try {
    // Compared by parts: WHATWG URL gives custom schemes an opaque origin ('null') outside Chromium.
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The places the app may send the user's browser to (item 15): the Firecracker project (its
 * documentation site and its GitHub organisation, where releases and docs live) and Firedeck's
 * own home page. The renderer is untrusted: any other URL, even https, stays unopened, so a
 * compromised page cannot use the user's browser to reach a site of its choosing. A new link in
 * the renderer needs its place here.
 */
const externalLinkPlaces: readonly { host: string; pathPrefix: string }[] = [
  { host: 'firecracker-microvm.github.io', pathPrefix: '/' },
  { host: 'github.com', pathPrefix: '/firecracker-microvm/' },
  { host: 'firedeck.dev', pathPrefix: '/' },
];

/** An https URL to one of `externalLinkPlaces`, on the default port and without a user name or password. */
function isExternalLinkAllowed(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.port !== '' || parsed.username !== '' || parsed.password !== '') return false;
  return externalLinkPlaces.some((place) => parsed.hostname === place.host && parsed.pathname.startsWith(place.pathPrefix));
}

/**
 * `http://127.0.0.1:PORT/…` where PORT forwards to a guest right now (Open in browser on a VM's
 * forwards): loopback only, no credentials, and only while the forward lives, so the renderer
 * cannot send the browser to any other local service.
 */
export function isForwardUrl(url: string, forwardedPorts: readonly number[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' || parsed.hostname !== '127.0.0.1' || parsed.username !== '' || parsed.password !== '') return false;
  return parsed.port !== '' && forwardedPorts.includes(Number(parsed.port));
}

/** Permissions the renderer may use; everything else is refused (item 5). */
const allowedPermissions = new Set(['clipboard-sanitized-write']);

function isPermissionAllowed(permission: string): boolean {
  return allowedPermissions.has(permission);
}

interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of Electron's WebContents the policy touches. */
export interface WebContentsLike {
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface SessionLike {
  setPermissionRequestHandler(
    handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void,
  ): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
}

/** Applied to every WebContents the app creates (Podman Desktop hooks `web-contents-created` the same way). */
export function hardenWebContents(contents: WebContentsLike, openExternal: (url: string) => void, forwardedPorts: () => readonly number[] = () => []): void {
  const stayInApp = (event: PreventableEvent, url: string) => {
    if (!isAppUrl(url)) event.preventDefault(); // item 13
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault()); // item 12
  contents.setWindowOpenHandler(({ url }) => {
    // item 14: no new Electron windows, ever; allowed links open in the user's browser.
    if (isExternalLinkAllowed(url) || isForwardUrl(url, forwardedPorts())) openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenSession(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(isPermissionAllowed(permission)));
  session.setPermissionCheckHandler((_contents, permission) => isPermissionAllowed(permission));
}
