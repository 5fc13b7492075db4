import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

export interface StaticFile {
  path: string;
  contentType: string;
}

/**
 * Maps a URL path to a file of the built renderer, or null. Used by the Electron `app://`
 * protocol and the browser-mode server alike. The renderer bundle is fixed at build time, so a
 * lexical check is enough here; user files go through FsJail instead.
 */
export function resolveStaticFile(root: string, urlPath: string): StaticFile | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const path = normalize(join(root, relative));
  if (!path.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  const contentType = contentTypes[extname(path).toLowerCase()];
  if (!contentType) return null;
  return { path, contentType };
}

/**
 * Answers a GET or HEAD for a file of the renderer; resolves once the answer is sent, or the
 * client has gone. Never rejects: a file that vanishes, a client that resets mid-download or a
 * read error ends this one response and nothing else. The file is opened once and its size and
 * content are read from that one handle, so it cannot change between the two.
 */
export async function sendStaticFile(
  res: ServerResponse,
  file: StaticFile | null,
  options: { head: boolean; headers: Record<string, string> },
): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = file ? await open(file.path, 'r').catch(() => undefined) : undefined;
    const info = handle && (await handle.stat());
    if (!file || !handle || !info?.isFile()) return sendText(res, 404, 'Not found');
    if (res.destroyed) return;
    res.writeHead(200, { ...options.headers, 'Content-Type': file.contentType, 'Content-Length': info.size });
    if (options.head || info.size === 0) {
      res.end();
      return;
    }
    await pipeline(handle.createReadStream({ start: 0, end: info.size - 1, autoClose: false }), res);
  } catch {
    // The client went away or the read failed after the headers were sent: only this response ends.
    res.destroy();
  } finally {
    await handle?.close().catch(() => {});
  }
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(`${text}\n`);
}
