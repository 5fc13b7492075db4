import { randomUUID } from 'node:crypto';
import type { IpcMain, WebContents } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/ipc.js';
import type { InvokeResult } from '../../shared/errors.js';
import type { EventBus } from '../event-bus.js';
import type { Router } from '../router.js';
import { isTrustedSender } from './sender-check.js';

/** Electron transport: moves requests to the router and events to windows, and checks who asks. */
export function registerIpc(
  ipcMain: IpcMain,
  core: { router: Router; events: EventBus; releaseOwner(ownerId: string): void },
  windows: () => WebContents[],
): () => void {
  // One owner per page load of a window: a reload, a navigation, a crash or a closed window
  // ends it, and closes whatever that page opened (consoles, terminals, forwards).
  const loads = new Map<number, string>();
  const ownerOf = (contents: WebContents): string => {
    const current = loads.get(contents.id);
    if (current) return current;
    const ownerId = `ipc:${contents.id}:${randomUUID()}`;
    loads.set(contents.id, ownerId);
    const end = () => {
      // Every listener of this load goes with it: a window reloaded a hundred times keeps three.
      contents.off('did-start-navigation', onNavigation);
      contents.off('render-process-gone', end);
      contents.off('destroyed', end);
      if (loads.get(contents.id) !== ownerId) return;
      loads.delete(contents.id);
      core.releaseOwner(ownerId);
    };
    const onNavigation = (details: { isMainFrame: boolean; isSameDocument: boolean }) => {
      if (details.isMainFrame && !details.isSameDocument) end();
    };
    contents.on('did-start-navigation', onNavigation);
    contents.on('render-process-gone', end);
    contents.on('destroyed', end);
    return ownerId;
  };

  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, input: unknown): Promise<InvokeResult> | InvokeResult => {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame && { url: frame.url, isMainFrame: frame.parent === null })) {
      return {
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Only the Firedeck window may send requests to its backend.' },
      };
    }
    const contents = event.sender;
    const ownerId = ownerOf(contents);
    return core.router.handle(channel, input, { ownerId }).then((result) => {
      // The page went away while this was under way (a console still opening): what it opened
      // belongs to nobody now, so release again rather than wait for its idle timeout.
      if (loads.get(contents.id) !== ownerId) core.releaseOwner(ownerId);
      return result;
    });
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
