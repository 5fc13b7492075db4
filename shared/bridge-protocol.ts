import type { AppErrorShape } from './errors.js';

/**
 * Browser mode speaks this over one WebSocket (`/bridge?token=…` on 127.0.0.1). Electron mode
 * does not use it: there, ipcRenderer.invoke carries the same request and result objects.
 */
export const BRIDGE_PATH = '/bridge';
export const BRIDGE_MAX_MESSAGE_BYTES = 1024 * 1024;

/** WebSocket close code sent when the backend shuts down on purpose. */
export const BRIDGE_CLOSE_SHUTDOWN = 4001;
/**
 * The token presented is not this launch's (typically: `npm run web` was restarted, and each start
 * has a new token). Sent right after the handshake, because a browser cannot read the HTTP status
 * of a refused upgrade and would take a 401 for a backend that is down.
 */
export const BRIDGE_CLOSE_TOKEN_REFUSED = 4401;
/** The one-time launch code presented was used already, has expired, or was never issued. */
export const BRIDGE_CLOSE_LAUNCH_CODE_REFUSED = 4403;

export type BridgeMessage =
  /**
   * First message on every accepted connection. After a launch code (`/bridge?launch=…`) it
   * carries the session token, which the tab uses from then on.
   */
  | { type: 'hello'; token?: string }
  | { type: 'result'; id: number | null; ok: true; value: unknown }
  | { type: 'result'; id: number | null; ok: false; error: AppErrorShape }
  | { type: 'event'; event: string; payload: unknown };
