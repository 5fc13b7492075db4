import type { IpcMain, WebContents } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/ipc.js';
import type { InvokeResult } from '../../shared/errors.js';
import type { EventBus } from '../event-bus.js';
import type { Router } from '../router.js';
import { isTrustedSender } from './sender-check.js';

/** Electron transport: moves requests to the router and events to windows, and checks who asks. */
export function registerIpc(
  ipcMain: IpcMain,
  core: { router: Router; events: EventBus },
  windows: () => WebContents[],
): () => void {
  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, input: unknown): Promise<InvokeResult> | InvokeResult => {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame && { url: frame.url, isMainFrame: frame.parent === null })) {
      return {
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Only the Firedeck window may send requests to its backend.' },
      };
    }
    return core.router.handle(channel, input);
  });
  const unsubscribe = core.events.subscribe((event, payload) => {
    for (const contents of windows()) {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT, event, payload);
    }
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE);
    unsubscribe();
  };
}
