/**
 * The whole surface the renderer gets from Electron: `window.firedeck.invoke` and `.on`.
 * Everything it sends is validated again in main; this file only moves messages.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../shared/ipc.js';
import type { PreloadApi } from '../shared/ipc.js';

const api: PreloadApi = {
  invoke: (channel, input) => ipcRenderer.invoke(IPC_INVOKE, channel, input),
  on(event, listener) {
    if (typeof event !== 'string' || typeof listener !== 'function') {
      throw new TypeError('firedeck.on(event, listener) takes an event name and a function.');
    }
    const handler = (_sender: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
};

contextBridge.exposeInMainWorld('firedeck', api);
