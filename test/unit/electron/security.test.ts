import { describe, expect, it, vi } from 'vitest';
import {
  APP_ORIGIN,
  contentSecurityPolicy,
  hardenSession,
  hardenWebContents,
  isForwardUrl,
  windowOptions,
} from '../../../electron/security';
import type { SessionLike, WebContentsLike } from '../../../electron/security';

describe('windowOptions', () => {
  const options = windowOptions({ preload: '/app/preload.cjs', platform: 'darwin', dark: false });

  it('isolates the renderer from Node and Electron', () => {
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      preload: '/app/preload.cjs',
    });
  });

  it('waits for the first paint and uses the inset title bar only on macOS', () => {
    expect(options.show).toBe(false);
    expect(options.titleBarStyle).toBe('hiddenInset');
    expect(windowOptions({ preload: 'p', platform: 'linux', dark: true }).titleBarStyle).toBeUndefined();
  });
});

describe('contentSecurityPolicy', () => {
  const directives = (csp: string) =>
    new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));

  it('allows only the app itself to run scripts and never inline or eval code', () => {
    const csp = directives(contentSecurityPolicy());
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')!.join(' ')).not.toMatch(/unsafe|\*/);
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|\*/);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
  });

  it('adds only the given connect sources', () => {
    const csp = directives(contentSecurityPolicy({ connectSrc: ['ws://127.0.0.1:4000'] }));
    expect(csp.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:4000']);
  });
});

/** A WebContents that records the listeners the policy installs. */
function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: WebContentsLike = {
    on: (event: string, listener: (event: { preventDefault(): void }, url?: string) => void) => {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler: (handler) => {
      openHandler = handler;
    },
  } as WebContentsLike;
  const fire = (event: string, url?: string) => {
    const preventDefault = vi.fn();
    listeners.get(event)!({ preventDefault }, url);
    return preventDefault.mock.calls.length > 0;
  };
  return { contents, fire, open: (url: string) => openHandler!({ url }) };
}

describe('hardenWebContents', () => {
  it('keeps the window on the app: navigation and redirects elsewhere are blocked', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents, vi.fn());
    expect(fire('will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(fire('will-navigate', `${APP_ORIGIN}/index.html`)).toBe(false);
  });

  it('never opens a window; links to the places the app links to go to the system browser, others nowhere', () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn();
    hardenWebContents(contents, openExternal);
    const allowed = [
      'https://firecracker-microvm.github.io/',
      'https://github.com/firecracker-microvm/firecracker/releases',
      'https://github.com/firecracker-microvm/firecracker/blob/main/docs/getting-started.md#running-firecracker',
      'https://firedeck.dev/docs/hosts',
    ];
    const refused = [
      'https://evil.example/',
      'https://github.com/evil/firecracker-microvm/',
      'https://github.com/firecracker-microvm/../evil/payload',
      'https://github.com.evil.example/firecracker-microvm/',
      'https://github.com@evil.example/firecracker-microvm/',
      'https://user:pass@github.com/firecracker-microvm/',
      'https://github.com:8443/firecracker-microvm/',
      'http://github.com/firecracker-microvm/',
      'https://raw.githubusercontent.com/firecracker-microvm/firecracker/main/README.md',
      'file:///Applications/Calculator.app',
      'javascript:alert(1)',
      'not a url',
    ];
    for (const url of [...allowed, ...refused]) expect(open(url), url).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls.map(([url]) => url)).toEqual(allowed);
  });

  it('refuses webviews', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents, vi.fn());
    expect(fire('will-attach-webview')).toBe(true);
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check except writing to the clipboard', () => {
    let request: Parameters<SessionLike['setPermissionRequestHandler']>[0] | undefined;
    let check: Parameters<SessionLike['setPermissionCheckHandler']>[0] | undefined;
    hardenSession({ setPermissionRequestHandler: (h) => (request = h), setPermissionCheckHandler: (h) => (check = h) });
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'hid', 'clipboard-read']) {
      const callback = vi.fn();
      request!(null, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(check!(null, permission)).toBe(false);
    }
    expect(check!(null, 'clipboard-sanitized-write')).toBe(true);
  });
});

describe('isForwardUrl', () => {
  it('opens only http://127.0.0.1 on a port that forwards to a guest now', () => {
    expect(isForwardUrl('http://127.0.0.1:8000/', [8000])).toBe(true);
    expect(isForwardUrl('http://127.0.0.1:8000/app?x=1', [8000, 9000])).toBe(true);
    for (const url of ['http://127.0.0.1:8001/', 'http://localhost:8000/', 'https://127.0.0.1:8000/', 'http://user:pw@127.0.0.1:8000/', 'http://127.0.0.1/', 'file:///etc/passwd', 'not a url']) {
      expect(isForwardUrl(url, [8000, 80])).toBe(false);
    }
  });

  it('hands such a link to the system browser only while the forward lives', () => {
    const { contents, open } = fakeContents();
    const openExternal = vi.fn();
    let ports: number[] = [8000];
    hardenWebContents(contents, openExternal, () => ports);
    expect(open('http://127.0.0.1:8000/')).toEqual({ action: 'deny' });
    ports = [];
    open('http://127.0.0.1:8000/');
    expect(openExternal.mock.calls).toEqual([['http://127.0.0.1:8000/']]);
  });
});
