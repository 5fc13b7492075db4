import type { ConnectionStatus, FiredeckApi } from '../../renderer/api/api';
import { FiredeckError } from '../../renderer/api/firedeck-error';
import type { AppErrorShape } from '../../shared/errors';

type Responder = (input: unknown) => unknown;

/**
 * A FiredeckApi for renderer unit tests: channels answer from the given functions, and a
 * responder that returns an AppErrorShape under `error` rejects like the real transports.
 */
export function createFakeApi(responders: Record<string, Responder>) {
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  let status: ConnectionStatus = { state: 'connected' };
  const calls: { channel: string; input: unknown }[] = [];
  const api: FiredeckApi = {
    async invoke(channel, ...[input]) {
      calls.push({ channel, input });
      const responder = responders[channel];
      if (!responder) throw new FiredeckError({ code: 'UNKNOWN_CHANNEL', message: channel });
      const value = responder(input) as { error?: AppErrorShape };
      if (value && typeof value === 'object' && 'error' in value && value.error) throw new FiredeckError(value.error);
      return value as never;
    },
    on(event, listener) {
      const set = eventListeners.get(event) ?? new Set();
      eventListeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    status: () => status,
  };
  return {
    api,
    calls,
    setStatus(next: ConnectionStatus) {
      status = next;
      statusListeners.forEach((listener) => listener(next));
    },
    emit(event: string, payload: unknown) {
      eventListeners.get(event)?.forEach((listener) => listener(payload));
    },
  };
}
