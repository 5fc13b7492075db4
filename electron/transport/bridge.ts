import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import { BRIDGE_CLOSE_SHUTDOWN, BRIDGE_MAX_MESSAGE_BYTES, BRIDGE_PATH } from '../../shared/bridge-protocol.js';
import type { BridgeMessage } from '../../shared/bridge-protocol.js';
import type { EventBus } from '../event-bus.js';
import type { Caller, Router } from '../router.js';
import { contentSecurityPolicy } from '../security.js';
import { createBridgeAccess } from './bridge-access.js';
import { parseRequestTarget } from './request-target.js';
import { resolveStaticFile, sendStaticFile, sendText } from './static-files.js';

const bridgeRequestSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string(),
  input: z.unknown().optional(),
});

/** The Firecracker API and this bridge have no other authentication: never listen beyond loopback. */
const LOOPBACK = '127.0.0.1';

export interface BridgeOptions {
  router: Router;
  events: EventBus;
  /** Called when a tab's socket closes: whatever that tab opened (consoles, terminals) is closed. */
  releaseOwner(ownerId: string): void;
  /** The built renderer (`dist/renderer`). */
  staticRoot: string;
  /** 0 picks a free port. */
  port: number;
  /** Tests pass one in; a launch otherwise gets 32 random bytes. */
  token?: string;
  /** The clock launch codes expire by. */
  now?: () => number;
  log?: Pick<Console, 'warn' | 'error'>;
}

export interface Bridge {
  port: number;
  token: string;
  /** The address to give the user, with the token in the fragment (never sent to the server in requests for files). */
  url: string;
  /**
   * An address for starting a browser with: it holds a new one-time launch code instead of the
   * token, because a command line is readable by every local user.
   */
  launchUrl(): string;
  close(): Promise<void>;
}

/** Browser mode: serves the renderer and one WebSocket per tab to the same router Electron uses. */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const { router, events, staticRoot } = options;
  const log = options.log ?? console;
  const access = createBridgeAccess({ token: options.token, now: options.now });
  let port = options.port;

  const allowedHosts = () => [`${LOOPBACK}:${port}`, `localhost:${port}`];
  // A page on another site could point its own DNS name at 127.0.0.1 (DNS rebinding) or open a
  // WebSocket here from the user's browser; the Host and Origin checks stop both before the token is even looked at.
  const isLocalHost = (req: IncomingMessage) => allowedHosts().includes(req.headers.host ?? '');
  const isLocalOrigin = (req: IncomingMessage) =>
    req.headers.origin === undefined || allowedHosts().some((h) => req.headers.origin === `http://${h}`);
  // A function: the port is known only once listening (port 0 picks one).
  const staticHeaders = () => ({
    'Content-Security-Policy': contentSecurityPolicy({ connectSrc: [`ws://${LOOPBACK}:${port}`, `ws://localhost:${port}`] }),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_MESSAGE_BYTES });
  const server = createServer((req, res) => {
    const target = parseRequestTarget(req.url);
    if (!target) return sendText(res, 400, badTarget);
    if (!isLocalHost(req)) return sendText(res, 421, 'Misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Method not allowed');
    void sendStaticFile(res, resolveStaticFile(staticRoot, target.pathname), { head: req.method === 'HEAD', headers: staticHeaders() });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands an upgrading socket over without an error listener: a client that resets
    // before the answer is written would otherwise be an uncaught ECONNRESET.
    socket.on('error', () => socket.destroy());
    const target = parseRequestTarget(req.url);
    if (!target) return refuseUpgrade(socket, '400 Bad Request', badTarget);
    if (target.pathname !== BRIDGE_PATH || !isLocalHost(req) || !isLocalOrigin(req)) {
      log.warn(`[firedeck] refused a bridge connection to ${target.pathname} from another host or origin`);
      return refuseUpgrade(socket, '401 Unauthorized', 'This connection was refused: it comes from another site or names another host.');
    }
    const verdict = access.check(target.query);
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!verdict.ok) {
        // Our own page (or a local program) with a stale or wrong credential: it gets no request
        // answered, only a close code its banner can explain.
        log.warn(`[firedeck] refused a bridge connection: ${verdict.reason}`);
        ws.on('error', () => {});
        ws.close(verdict.closeCode, verdict.reason);
        return;
      }
      accept(ws, verdict.handOver);
    });
  });

  function accept(ws: WebSocket, handOver: boolean) {
    // Each socket is one owner: a reload or a closed tab closes its socket, and with it
    // everything that tab opened.
    const caller: Caller = { ownerId: `bridge:${randomUUID()}` };
    // An oversized or malformed frame makes ws emit 'error'; without a listener it would take
    // the whole backend down. The socket is closed by ws; only this tab is affected.
    ws.on('error', (error) => log.warn(`[firedeck] closed a bridge connection: ${error.message}`));
    let gone = false;
    ws.on('close', () => {
      gone = true;
      options.releaseOwner(caller.ownerId);
    });
    ws.on('message', (data, isBinary) => {
      void answer(ws, caller, isBinary ? null : data.toString())
        .catch((error: unknown) => log.error('[firedeck] a bridge request failed unexpectedly:', error))
        .finally(() => {
          // A request that opened something after its tab went away (a console whose open was
          // still under way) would leave it open until its idle timeout: release again.
          if (gone) options.releaseOwner(caller.ownerId);
        });
    });
    send(ws, handOver ? { type: 'hello', token: access.token } : { type: 'hello' });
  }

  async function answer(ws: WebSocket, caller: Caller, text: string | null): Promise<void> {
    let message: unknown;
    try {
      message = text === null ? undefined : JSON.parse(text);
    } catch {
      message = undefined;
    }
    const request = bridgeRequestSchema.safeParse(message);
    if (!request.success) {
      const id = typeof message === 'object' && message !== null && 'id' in message && typeof message.id === 'number' ? message.id : null;
      return send(ws, {
        type: 'result',
        id,
        ok: false,
        error: { code: 'INVALID_INPUT', message: 'The bridge received a message that is not a Firedeck request.' },
      });
    }
    const result = await router.handle(request.data.channel, request.data.input, caller);
    send(ws, { type: 'result', id: request.data.id, ...result });
  }

  const unsubscribe = events.subscribe((event, payload) => {
    for (const ws of wss.clients) send(ws, { type: 'event', event, payload });
  });

  function send(ws: WebSocket, message: BridgeMessage) {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${LOOPBACK}:${port}`;

  return {
    port,
    token: access.token,
    url: `${origin}/#token=${access.token}`,
    launchUrl: () => `${origin}/#launch=${access.issueLaunchCode()}`,
    close: async () => {
      unsubscribe();
      for (const ws of wss.clients) ws.close(BRIDGE_CLOSE_SHUTDOWN, 'Firedeck backend stopped');
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

const badTarget = 'Bad request: the address asked for is not a path on this server.';

function refuseUpgrade(socket: Duplex, status: string, text: string) {
  const body = `${text}\n`;
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
