import type { InvokeResult } from './errors.js';

/** Electron IPC channel names; only the preload and electron/transport/ipc.ts use them. */
export const IPC_INVOKE = 'firedeck:invoke';
export const IPC_EVENT = 'firedeck:event';

/**
 * What the preload exposes as `window.firedeck`: nothing but a request and an event
 * subscription. Results come back as data (`{ ok, value | error }`), because Electron would
 * strip a thrown error down to its message.
 */
export interface PreloadApi {
  invoke(channel: string, input?: unknown): Promise<InvokeResult>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
