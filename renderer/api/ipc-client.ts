import type { EventName } from '../../shared/events';
import type { PreloadApi } from '../../shared/ipc';
import type { FiredeckApi } from './api';
import { FiredeckError } from './firedeck-error';

/** Electron mode: the preload's `window.firedeck`. IPC to main cannot drop, so the status is fixed. */
export function createIpcClient(preload: PreloadApi): FiredeckApi {
  return {
    async invoke(channel, ...[input]) {
      const result = await preload.invoke(channel, input);
      if (!result.ok) throw new FiredeckError(result.error);
      return result.value as never;
    },
    on(event: EventName, listener) {
      return preload.on(event, listener as (payload: unknown) => void);
    },
    onStatus: () => () => {},
    status: () => ({ state: 'connected' }),
  };
}
