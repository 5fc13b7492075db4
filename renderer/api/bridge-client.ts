import { BRIDGE_CLOSE_LAUNCH_CODE_REFUSED, BRIDGE_CLOSE_TOKEN_REFUSED, BRIDGE_PATH } from '../../shared/bridge-protocol';
import type { BridgeMessage } from '../../shared/bridge-protocol';
import type { EventName } from '../../shared/events';
import type { ConnectionStatus, FiredeckApi } from './api';
import { credentialsQuery } from './credentials';
import type { Credentials } from './credentials';
import { FiredeckError } from './firedeck-error';

interface Pending {
  resolve(value: unknown): void;
  reject(error: FiredeckError): void;
}

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

export interface BridgeClient extends FiredeckApi {
  /** Connects again with other credentials (a new address pasted into the tab). */
  useCredentials(credentials: Credentials): void;
}

const noCredentials: ConnectionStatus = {
  state: 'unusable',
  message: 'This page was opened without its access token, so it cannot reach the Firedeck backend.',
  remedy: 'Open the full address that “npm run web” printed, including the part after #token=.',
};

/**
 * Browser mode: one WebSocket to the backend on 127.0.0.1, reopened with backoff when it drops.
 * Requests made while it is down fail at once with BACKEND_UNAVAILABLE instead of hanging. A
 * refused credential is not retried: it waits for new credentials (`useCredentials`).
 */
export function createBridgeClient(options: {
  origin: string;
  credentials: Credentials | null;
  /** The bridge handed over the session token for a launch code: keep it for reconnects. */
  onSessionToken(token: string): void;
}): BridgeClient {
  const base = `${options.origin.replace(/^http/, 'ws')}${BRIDGE_PATH}`;
  const pending = new Map<number, Pending>();
  const eventListeners = new Map<string, Set<(payload: unknown) => void>>();
  const statusListeners = new Set<(status: ConnectionStatus) => void>();
  let credentials = options.credentials;
  let status: ConnectionStatus = credentials ? { state: 'connecting' } : noCredentials;
  let socket: WebSocket | undefined;
  let ready = false;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  let retryMs = RETRY_MIN_MS;

  function setStatus(next: ConnectionStatus) {
    status = next;
    for (const listener of statusListeners) listener(next);
  }

  function connect() {
    if (!credentials) return setStatus(noCredentials);
    const ws = new WebSocket(`${base}?${credentialsQuery(credentials)}`);
    socket = ws;
    ready = false;
    ws.onmessage = (message) => receive(String(message.data));
    ws.onclose = (event) => {
      if (socket !== ws) return; // replaced by newer credentials
      socket = undefined;
      ready = false;
      failPending();
      if (event.code === BRIDGE_CLOSE_TOKEN_REFUSED || event.code === BRIDGE_CLOSE_LAUNCH_CODE_REFUSED) {
        setStatus({ state: 'refused', credential: event.code === BRIDGE_CLOSE_TOKEN_REFUSED ? 'token' : 'launch' });
        return;
      }
      if (status.state !== 'lost') setStatus({ state: 'lost', since: Date.now() });
      retryTimer = setTimeout(connect, retryMs);
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
    if (message.type === 'hello') {
      // The server accepted the credentials (an open socket alone does not say so: a refused
      // one is opened, then closed with a reason).
      if (message.token) {
        credentials = { kind: 'token', token: message.token };
        options.onSessionToken(message.token);
      }
      ready = true;
      retryMs = RETRY_MIN_MS;
      setStatus({ state: 'connected' });
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
    for (const request of pending.values()) request.reject(unavailable(status));
    pending.clear();
  }

  connect();

  return {
    invoke(channel, ...[input]) {
      const ws = socket;
      if (!ws || !ready || ws.readyState !== WebSocket.OPEN) return Promise.reject(unavailable(status));
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
    useCredentials(next) {
      credentials = next;
      clearTimeout(retryTimer);
      retryMs = RETRY_MIN_MS;
      const previous = socket;
      socket = undefined;
      ready = false;
      previous?.close();
      failPending();
      setStatus({ state: 'connecting' });
      connect();
    },
  };
}

function unavailable(status: ConnectionStatus): FiredeckError {
  if (status.state === 'refused') {
    return new FiredeckError({
      code: 'BACKEND_UNAVAILABLE',
      message: 'The Firedeck backend refused this tab’s access, so this was not done.',
      remedy: 'Paste the address “npm run web” printed last (with #token=) into this tab.',
    });
  }
  return new FiredeckError({
    code: 'BACKEND_UNAVAILABLE',
    message: 'The Firedeck backend is not reachable, so this was not done.',
    remedy: 'Wait for the connection to come back, or restart “npm run web” and open the address it prints.',
  });
}
