import { connect as connectTcp } from 'node:net';
import WebSocket from 'ws';

/**
 * Sends `text` as is over a fresh TCP connection to 127.0.0.1:port and resolves with everything
 * the server answered once it closes the connection (or rejects if it has not after `timeoutMs`).
 * For request lines no well-behaved client would send (`GET //x:99999 HTTP/1.1`).
 */
export function rawHttp(port: number, text: string, timeoutMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1');
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms to ${JSON.stringify(text.split('\r\n')[0])}; got ${JSON.stringify(answer)}`));
    }, timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => {}); // a reset after the answer still counts as closed
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    socket.write(text);
  });
}

/** The status code of a raw HTTP answer (`HTTP/1.1 400 Bad Request` → 400), or 0 if there was none. */
export function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1] ?? 0);
}

export type BridgeOutcome =
  | { opened: WebSocket; /** The session token the server handed over (after a launch code). */ sessionToken?: string }
  | { status: number }
  | { closed: number; reason: string };

/**
 * Opens a bridge socket and asks it one question (`app.getInfo`). Resolves with the socket once
 * that is answered, with the HTTP status the upgrade was refused with, or with the close code of
 * a socket the server accepted and closed before answering (a refused credential).
 */
export function connectBridge(port: number, query: string, headers: Record<string, string> = { Origin: `http://127.0.0.1:${port}` }): Promise<BridgeOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/bridge${query}`, { headers });
    let sessionToken: string | undefined;
    ws.on('message', (data) => {
      const parsed = JSON.parse(String(data));
      if (parsed.type === 'hello' && parsed.token) sessionToken = parsed.token;
    });
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', reject);
    ws.once('close', (code, reason) => resolve({ closed: code, reason: reason.toString() }));
    ws.once('open', () => {
      request(ws, { type: 'invoke', id: 0, channel: 'app.getInfo' }).then(
        () => resolve({ opened: ws, ...(sessionToken ? { sessionToken } : {}) }),
        () => {}, // closed first: the 'close' listener has answered
      );
    });
  });
}

/** The open socket of an outcome, or an error saying how the connection was refused. */
export function opened(outcome: BridgeOutcome): WebSocket {
  if ('opened' in outcome) return outcome.opened;
  throw new Error(`the bridge refused the connection: ${JSON.stringify(outcome)}`);
}

/** Sends one message and resolves with the next result message. */
export function request(ws: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const parsed = JSON.parse(String(data));
      if (parsed.type !== 'result') return;
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve(parsed);
    };
    const onClose = () => reject(new Error('the bridge socket closed before answering'));
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}
