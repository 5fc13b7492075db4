import type { PreloadApi } from '../../shared/ipc';
import type { ConnectionStatus, FiredeckApi } from './api';
import { createBridgeClient } from './bridge-client';
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
 * The bridge token arrives in the URL fragment (never sent to the server with page requests);
 * it is kept for this tab only and removed from the address bar.
 */
export function createApi(win: Window = window): FiredeckApi {
  if (win.firedeck) return createIpcClient(win.firedeck);
  const fromHash = new URLSearchParams(win.location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    win.sessionStorage.setItem(TOKEN_KEY, fromHash);
    win.history.replaceState(null, '', win.location.pathname + win.location.search);
  }
  const token = fromHash ?? win.sessionStorage.getItem(TOKEN_KEY);
  if (!token) return createUnusableApi();
  return createBridgeClient({ origin: win.location.origin, token });
}

function createUnusableApi(): FiredeckApi {
  const status: ConnectionStatus = {
    state: 'unusable',
    message: 'This page was opened without its access token, so it cannot reach the Firedeck backend.',
    remedy: 'Open the full address that “npm run web” printed, including the part after #token=.',
  };
  return {
    invoke: () => Promise.reject(new Error(status.message)),
    on: () => () => {},
    onStatus: () => () => {},
    status: () => status,
  };
}
