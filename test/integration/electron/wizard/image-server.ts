import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny S3-style bucket for the wizard tests that need images of their own (a squashfs with
 * special files, a damaged one): `files` maps bucket keys to local files. Serves the
 * ListObjectsV2 listing the catalog reads and the files themselves.
 */
export async function startImageServer(files: Record<string, string>): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://bucket');
      if (url.pathname === '/' && url.searchParams.get('list-type') === '2') {
        const prefix = url.searchParams.get('prefix') ?? '';
        const keys = Object.keys(files).filter((k) => k.startsWith(prefix));
        const contents = await Promise.all(keys.map(async (key) => `<Contents><Key>${key}</Key><Size>${(await stat(files[key]!)).size}</Size></Contents>`));
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        res.end(`<?xml version="1.0" encoding="UTF-8"?><ListBucketResult>${contents.join('')}</ListBucketResult>`);
        return;
      }
      const file = files[url.pathname.slice(1)];
      if (!file) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'Content-Length': (await stat(file)).size });
      createReadStream(file).pipe(res);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
