import { BRIDGE_PATH } from '../../shared/bridge-protocol';
import type { BridgeMessage } from '../../shared/bridge-protocol';
import type { EventName } from '../../shared/events';
import type { ConnectionStatus, FiredeckApi } from './api';
import { FiredeckError } from './firedeck-error';

interface Pending {
  resolve(value: unknown): void;
  reject(error: FiredeckError): void;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

/**
 * Browser mode: one WebSocket to the backend on 127.0.0.1, reopened with backoff when it drops.
 * Requests made while it is down fail at once with BACKEND_UNAVAILABLE instead of hanging.
 */
export function createBridgeClient(options: { origin: string; token: string }): FiredeckApi {
  const url = `${options.origin.replace(/^http/, 'ws')}${BRIDGE_PATH}?token=${encodeURIComponent(options.token)}`;
  const pending = new Map<number, Pending>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let status: ConnectionStatus = { state: 'connecting' };
  let socket: WebSocket | undefined;
  let nextId = 1;
  let retryMs = RETRY_MIN_MS;

  function setStatus(next: ConnectionStatus) {
    status = next;
    for (const listener of statusListeners) listener(next);
  }

  function connect() {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = RETRY_MIN_MS;
      setStatus({ state: 'connected' });
    };
    ws.onmessage = (message) => receive(String(message.data));
    ws.onclose = () => {
      socket = undefined;
      failPending();
      if (status.state !== 'lost') setStatus({ state: 'lost', since: Date.now() });
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    };
  }

  function receive(text: string) {
    let message: BridgeMessage;
    try {
      message = JSON.parse(text) as BridgeMessage;
    } catch {
      return;
    }
    if (message.type === 'event') {
      for (const listener of eventListeners.get(message.event) ?? []) listener(message.payload);
      return;
    }
    if (message.id === null) return;
    const request = pending.get(message.id);
    if (!request) return;
    pending.delete(message.id);
    if (message.ok) request.resolve(message.value);
    else request.reject(new FiredeckError(message.error));
  }

  function failPending() {
    for (const request of pending.values()) request.reject(unavailable());
    pending.clear();
  }

  connect();

  return {
    invoke(channel, ...[input]) {
      const ws = socket;
      if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(unavailable());
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        ws.send(JSON.stringify({ type: 'invoke', id, channel, input }));
      });
    },
    on(event: EventName, listener) {
      const set = eventListeners.get(event) ?? new Set();
      eventListeners.set(event, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => set.delete(wrapped);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    status: () => status,
  };
}

function unavailable(): FiredeckError {
  return new FiredeckError({
    code: 'BACKEND_UNAVAILABLE',
    message: 'The Firedeck backend is not reachable, so this was not done.',
    remedy: 'Wait for the connection to come back, or restart “npm run web” and open the address it prints.',
  });
}
