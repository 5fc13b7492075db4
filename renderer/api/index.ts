import type { PreloadApi } from '../../shared/ipc';
import type { FiredeckApi } from './api';
import { createBridgeClient } from './bridge-client';
import { credentialsFromHash } from './credentials';
import type { Credentials } from './credentials';
import { createIpcClient } from './ipc-client';

export type { ConnectionStatus, FiredeckApi } from './api';
export { FiredeckError } from './firedeck-error';

declare global {
  interface Window {
    firedeck?: PreloadApi;
  }
}

const TOKEN_KEY = 'firedeck.bridgeToken';

/**
 * Picks the transport: Electron's preload when present, otherwise the browser-mode bridge.
 * Browser mode's credentials arrive in the URL fragment (never sent to the server with page
 * requests): the token is kept for this tab only, and the fragment is taken out of the address
 * bar. A new address pasted into the open tab (after `npm run web` restarted with a new token)
 * changes only the fragment; the tab picks it up and connects again with it.
 */
export function createApi(win: Window = window): FiredeckApi {
  if (win.firedeck) return createIpcClient(win.firedeck);
  const remember = (credentials: Credentials) => {
    if (credentials.kind === 'token') win.sessionStorage.setItem(TOKEN_KEY, credentials.token);
  };
  const fromHash = credentialsFromHash(win.location.hash);
  if (fromHash) {
    remember(fromHash);
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
  }
  const stored = win.sessionStorage.getItem(TOKEN_KEY);
  const client = createBridgeClient({
    origin: win.location.origin,
    credentials: fromHash ?? (stored ? { kind: 'token', token: stored } : null),
    onSessionToken: (token) => win.sessionStorage.setItem(TOKEN_KEY, token),
  });
  win.addEventListener('hashchange', (event) => {
    const next = credentialsFromHash(win.location.hash);
    if (!next) return;
    remember(next);
    // Back to where the user was (the view's own fragment, #/vms), without the credentials.
    const before = new URL(event.oldURL).hash;
    win.history.replaceState(null, '', win.location.pathname + win.location.search + (before.startsWith('#/') ? before : ''));
    client.useCredentials(next);
  });
  return client;
}
