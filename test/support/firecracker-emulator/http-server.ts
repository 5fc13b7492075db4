/**
 * HTTP/1.1 over the API's Unix socket with micro-http's framing, limits and response bytes.
 * Requests from all connections are handled one at a time, in arrival order, as Firecracker's
 * single API thread does.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { MAX_CONNECTIONS, READ_BUFFER } from './constants';
import type { Result } from './dispatch';
import { dispatch } from './dispatch';
import { Fault } from './faults';
import { toJson } from './json-text';
import { log, W } from './logger';
import { bumpMetric } from './metrics';
import { exitWithError, isExiting } from './process-exit';
import type { ParsedRequest } from './routes';
import { route } from './routes';
import { ioText, rustDebugStr } from './rust-text';
import { bindProblem } from './unix-socket';
import type { Vmm } from './vmm';

const TOO_MANY = 'HTTP/1.1 503\r\nServer: Firecracker API\r\nConnection: close\r\nContent-Length: 40\r\n\r\n{ "error": "Too many open connections" }';
const METHOD_DEBUG: Record<string, string> = { GET: 'Get', PUT: 'Put', PATCH: 'Patch' };

interface HttpRequest {
  method: string;
  path: string;
  contentLength: number;
  expectContinue: boolean;
}

interface Connection {
  sock: Socket;
  buf: Buffer;
  state: 'line' | 'headers' | 'body';
  req: HttpRequest | null;
  closed: boolean;
  scheduled: boolean;
  busy: boolean;
}

class HttpParseError extends Error {}

function rawResponse(status: number, body: string | null, deprecation: boolean): Buffer {
  let head = `HTTP/1.1 ${status} \r\nServer: Firecracker API\r\nConnection: keep-alive\r\n`;
  if (deprecation) head += 'Deprecation: true\r\n';
  if (body === null) return Buffer.from(`${head}\r\n`);
  const b = Buffer.from(body);
  return Buffer.concat([Buffer.from(`${head}Content-Type: application/json\r\nContent-Length: ${b.length}\r\n\r\n`), b]);
}

function send(c: Connection, buf: Buffer, cb?: () => void): void {
  if (c.closed || c.sock.destroyed) return;
  c.sock.write(buf, cb);
}

/**
 * A micro-http parse error: 400 with its hand-formatted (not strictly JSON) body. The bytes
 * already received are dropped (one error per read, as micro-http answers), and the parser
 * state is left as it was.
 */
function parseError(c: Connection, text: string): void {
  c.buf = Buffer.alloc(0);
  const body = `{ "error": "${text}\nAll previous unanswered requests will be dropped." }`;
  log('Error', 'fc_api', W.api, `Received Error. Status code: 400 Bad Request. Message: ${text}`);
  send(c, rawResponse(400, body, false));
}

function parseRequestLine(line: string): HttpRequest {
  const sp1 = line.indexOf(' ');
  const method = sp1 < 0 ? line : line.slice(0, sp1);
  const rest = sp1 < 0 ? '' : line.slice(sp1 + 1);
  const sp2 = rest.indexOf(' ');
  const uri = sp2 < 0 ? rest : rest.slice(0, sp2);
  const version = sp2 < 0 ? '' : rest.slice(sp2 + 1);
  if (!['GET', 'PUT', 'PATCH'].includes(method)) throw new HttpParseError('Invalid HTTP Method: Unsupported HTTP method.');
  if (uri === '') throw new HttpParseError('Invalid URI: Empty URI not allowed.');
  if (version !== 'HTTP/1.0' && version !== 'HTTP/1.1') throw new HttpParseError('Invalid HTTP Version: Unsupported HTTP version.');
  let p = '';
  if (uri.startsWith('http://')) {
    const noScheme = uri.slice(7);
    const slash = noScheme.indexOf('/');
    p = slash < 0 ? '' : noScheme.slice(slash);
  } else if (uri.startsWith('/')) {
    p = uri;
  }
  return { method, path: p, contentLength: 0, expectContinue: false };
}

function parseHeader(req: HttpRequest, line: string): void {
  const colon = line.indexOf(':');
  if (colon < 0) throw new HttpParseError(`Invalid header. Reason: Header is incorrectly formatted. Key: ${line}`);
  const key = line.slice(0, colon).trim().toLowerCase();
  const value = line.slice(colon + 1).trim();
  if (key === 'content-length') {
    if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) throw new HttpParseError(`Invalid header. Reason: Invalid value. Key:Content-Length; Value: ${value}`);
    req.contentLength = Number(value);
  } else if (key === 'expect') {
    req.expectContinue = value.toLowerCase() === '100-continue';
  }
  // Every other header (Connection: close included) is accepted and ignored.
}

export function startApiServer(vmm: Vmm, sockPath: string, onListening: () => void): Server {
  const conns = new Set<Connection>();
  /** The VMM handles one request at a time, whichever connection it came on. */
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <R>(fn: () => Promise<R>): Promise<R> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => {});
    return run;
  };

  function schedule(c: Connection): void {
    if (c.scheduled || c.busy) return;
    c.scheduled = true;
    // Deferred so that a FIN arriving with the data is seen first: like micro-http, a
    // half-closed connection gets no answers at all.
    setImmediate(() => {
      c.scheduled = false;
      void pump(c);
    });
  }

  function onConnection(sock: Socket): void {
    sock.on('error', () => {});
    if (conns.size >= MAX_CONNECTIONS) {
      sock.end(TOO_MANY);
      return;
    }
    const c: Connection = { sock, buf: Buffer.alloc(0), state: 'line', req: null, closed: false, scheduled: false, busy: false };
    conns.add(c);
    sock.on('data', (d: Buffer) => {
      c.buf = c.buf.length ? Buffer.concat([c.buf, d]) : d;
      schedule(c);
    });
    sock.on('end', () => {
      c.closed = true;
      sock.destroy();
    });
    sock.on('close', () => {
      c.closed = true;
      conns.delete(c);
    });
  }

  async function pump(c: Connection): Promise<void> {
    c.busy = true;
    try {
      while (!c.closed && !isExiting()) {
        if (c.state === 'body') {
          const req = c.req!;
          if (c.buf.length < req.contentLength) return;
          const body = Buffer.from(c.buf.subarray(0, req.contentLength));
          c.buf = c.buf.subarray(req.contentLength);
          c.req = null;
          c.state = 'line';
          await serve(c, req, body);
          continue;
        }
        const idx = c.buf.indexOf('\r\n');
        if (idx < 0 || idx > READ_BUFFER) {
          if (idx > READ_BUFFER || c.buf.length > READ_BUFFER) {
            // A request line or header longer than micro-http's read buffer.
            c.buf = Buffer.alloc(0);
            parseError(c, c.state === 'line' ? 'Invalid request.' : 'Invalid header. Reason: Invalid content length. Header: (too long)');
          }
          return;
        }
        const line = c.buf.subarray(0, idx).toString('latin1');
        c.buf = c.buf.subarray(idx + 2);
        if (c.state === 'line') {
          try {
            c.req = parseRequestLine(line);
            c.state = 'headers';
          } catch (e) {
            if (!(e instanceof HttpParseError)) throw e;
            parseError(c, e.message);
          }
          continue;
        }
        const req = c.req!;
        if (line !== '') {
          try {
            parseHeader(req, line);
          } catch (e) {
            if (!(e instanceof HttpParseError)) throw e;
            parseError(c, e.message);
          }
          continue;
        }
        if (req.contentLength > vmm.payloadLimit) {
          // The parser state is not reset: what follows is read as more header lines (as micro-http does).
          parseError(c, `Request payload with size ${req.contentLength} is larger than the limit of ${vmm.payloadLimit} allowed by server.`);
          req.contentLength = 0;
          continue;
        }
        if (req.expectContinue) send(c, Buffer.from('HTTP/1.1 100 \r\nServer: Firecracker API\r\nConnection: keep-alive\r\n\r\n'));
        if (req.contentLength > 0) {
          c.state = 'body';
          continue;
        }
        c.req = null;
        c.state = 'line';
        await serve(c, req, null);
      }
    } finally {
      c.busy = false;
    }
  }

  async function handle(req: HttpRequest, body: Buffer | null): Promise<{ parsed: ParsedRequest | null; result: Result; fatal: boolean }> {
    let parsed: ParsedRequest | null = null;
    try {
      parsed = route(vmm, req.method, req.path, body);
      if (parsed.deprecation) {
        log('Warn', 'fc_api', W.parsed, parsed.deprecation);
        bumpMetric('deprecated_api', 'deprecated_http_api_calls');
      }
      return { parsed, result: await dispatch(vmm, parsed), fatal: false };
    } catch (e) {
      if (!(e instanceof Fault)) throw e;
      return { parsed, result: { status: e.status, body: { fault_message: e.message } }, fatal: e.fatal };
    }
  }

  async function serve(c: Connection, req: HttpRequest, body: Buffer | null): Promise<void> {
    const first = req.path.replace(/^\/+/, '').split('/')[0];
    if (body && first !== 'mmds' && first !== 'cpu-config') {
      log('Info', 'fc_api', W.api, `The API server received a ${METHOD_DEBUG[req.method]} request on ${rustDebugStr(req.path)} with body ${rustDebugStr(body.toString('utf8'))}.`);
    } else {
      log('Info', 'fc_api', W.api, `The API server received a ${METHOD_DEBUG[req.method]} request on ${rustDebugStr(req.path)}.`);
    }
    const { parsed, result, fatal } = await serialized(() => handle(req, body));
    const deprecation = Boolean(parsed?.deprecation);
    const message = (result.body as { fault_message?: string } | null)?.fault_message ?? '';
    if (result.status >= 400) {
      log('Error', 'fc_api', W.api, `Received Error. Status code: ${result.status} ${result.status === 413 ? 'Payload Too Large' : 'Bad Request'}. Message: ${message}`);
    } else {
      log('Info', 'fc_api', W.api, `The request was executed successfully. Status code: ${result.status === 204 ? '204 No Content' : '200 OK'}.`);
    }
    const text = result.body === null ? null : toJson(result.body, Boolean(result.sortKeys));
    if (fatal) {
      // A failed restore is fatal: the client gets its answer, then the process exits 1.
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        exitWithError(
          'RunWithApiError error: Failed to build MicroVM: Loading snapshot failed..',
          `RunWithApi(BuildMicroVMError(RestoreFromSnapshot(${rustDebugStr(message)})))`,
          1,
        );
      };
      send(c, rawResponse(result.status, text, deprecation), finish);
      setTimeout(finish, 200);
      return;
    }
    send(c, rawResponse(result.status, text, deprecation));
  }

  const server = createServer({ allowHalfOpen: true }, onConnection);
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') {
      exitWithError(
        `RunWithApiError error: Failed to open the API socket at: ${sockPath}. Check that it is not already used.`,
        `RunWithApi(FailedToBindSocket(${rustDebugStr(sockPath)}))`,
        1,
      );
    } else {
      exitWithError(
        `RunWithApiError error: Failed to bind and run the HTTP server: IO error: ${ioText(err)}`,
        `RunWithApi(FailedToBindAndRunHttpServer(IOError(${rustDebugStr(ioText(err))})))`,
        1,
      );
    }
  };
  server.on('error', onError);
  const problem = bindProblem(sockPath);
  if (problem) {
    onError(problem);
    return server;
  }
  server.listen(sockPath, () => {
    log('Info', 'main', W.adapter, `Listening on API socket (${rustDebugStr(sockPath)}).`);
    log('Info', 'fc_api', W.adapter, 'API server started.');
    onListening();
  });
  return server;
}
