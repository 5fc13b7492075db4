import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { IpcMain, WebContents } from 'electron';
import { createEventBus } from '../../../../electron/event-bus';
import type { Caller, Router } from '../../../../electron/router';
import { registerIpc } from '../../../../electron/transport/ipc';
import type { InvokeResult } from '../../../../shared/errors';

type Invoke = (event: unknown, channel: unknown, input: unknown) => Promise<InvokeResult> | InvokeResult;

/** A window's WebContents as the transport uses it: events, an id, send. */
class FakeContents extends EventEmitter {
  constructor(readonly id: number) {
    super();
  }
  isDestroyed = () => false;
  send() {}
  /** What Electron emits when the page reloads or navigates to another document. */
  reload() {
    this.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false });
  }
}

function setUp(handle: (caller: Caller) => Promise<InvokeResult> | InvokeResult = () => ({ ok: true, value: null })) {
  let invoke: Invoke | undefined;
  const ipcMain = { handle: (_channel: string, fn: Invoke) => void (invoke = fn), removeHandler: () => {} } as unknown as IpcMain;
  const router: Router = { handle: async (_channel, _input, caller) => handle(caller) };
  const released: string[] = [];
  registerIpc(ipcMain, { router, events: createEventBus(), releaseOwner: (id) => void released.push(id) }, () => []);
  const ask = (contents: FakeContents) =>
    invoke!({ sender: contents as unknown as WebContents, senderFrame: { url: 'app://firedeck/index.html', parent: null } }, 'app.getInfo', undefined);
  return { ask, released };
}

describe('Electron IPC owners', () => {
  it('gives each page load its own owner and releases it on reload, crash and close', async () => {
    const callers: string[] = [];
    const { ask, released } = setUp((caller) => {
      callers.push(caller.ownerId);
      return { ok: true, value: null };
    });
    const window = new FakeContents(1);
    await ask(window);
    await ask(window);
    expect(new Set(callers).size).toBe(1);
    window.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true }); // #/vms: same page
    expect(released).toEqual([]);

    window.reload();
    expect(released).toEqual([callers[0]]);
    await ask(window);
    expect(callers[2]).not.toBe(callers[0]);
    window.emit('render-process-gone');
    await ask(window);
    window.emit('destroyed');
    expect(released).toEqual([callers[0], callers[2], callers[3]]);
  });

  it('does not pile up listeners on a window that reloads many times', async () => {
    const { ask, released } = setUp();
    const window = new FakeContents(2);
    for (let i = 0; i < 30; i++) {
      await ask(window);
      window.reload();
    }
    expect(released).toHaveLength(30);
    for (const event of ['did-start-navigation', 'render-process-gone', 'destroyed']) expect(window.listenerCount(event), event).toBe(0);
  });

  it('releases what a request opened when the page went away while it was under way', async () => {
    let finish: (() => void) | undefined;
    const { ask, released } = setUp(() => new Promise((resolve) => (finish = () => resolve({ ok: true, value: null }))));
    const window = new FakeContents(3);
    const pending = ask(window);
    window.reload();
    expect(released).toHaveLength(1);
    finish!();
    await pending;
    expect(released).toEqual([released[0], released[0]]);
  });
});
