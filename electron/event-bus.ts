import type { EventMap, EventName } from '../shared/events.js';

export type AnyEventListener = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/** Carries events from services to every connected transport (IPC window, browser tabs). */
export interface EventBus {
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
  /** Receives every event; returns the unsubscribe function. */
  subscribe(listener: AnyEventListener): () => void;
}

export function createEventBus(log: Pick<Console, 'error'> = console): EventBus {
  const listeners = new Set<AnyEventListener>();
  return {
    emit(event, payload) {
      for (const listener of [...listeners]) {
        // One broken transport (a closed socket, a destroyed window) must not starve the others.
        try {
          listener(event, payload);
        } catch (error) {
          log.error(`event listener failed for ${event}:`, error);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
