import type { AppErrorShape } from './errors.js';

/**
 * Browser mode speaks this over one WebSocket (`/bridge?token=…` on 127.0.0.1). Electron mode
 * does not use it: there, ipcRenderer.invoke carries the same request and result objects.
 */
export const BRIDGE_PATH = '/bridge';
export const BRIDGE_MAX_MESSAGE_BYTES = 1024 * 1024;

/** WebSocket close code sent when the backend shuts down on purpose. */
export const BRIDGE_CLOSE_SHUTDOWN = 4001;

export type BridgeMessage =
  | { type: 'result'; id: number | null; ok: true; value: unknown }
  | { type: 'result'; id: number | null; ok: false; error: AppErrorShape }
  | { type: 'event'; event: string; payload: unknown };
