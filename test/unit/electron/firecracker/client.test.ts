import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFirecrackerClient } from '../../../../electron/firecracker/client';
import { unixConnector } from '../../../../electron/firecracker/transports/unix';
import { scratchDir } from '../../../support/temp-dir';

/** A stand-in API socket: answers by path, records what it was sent. */
let server: Server;
let socket: string;
const seen: { method: string; url: string; body: string; contentType: string | undefined }[] = [];
const stalled: ServerResponse[] = [];

function answer(req: IncomingMessage, res: ServerResponse, body: string) {
  seen.push({ method: req.method!, url: req.url!, body, contentType: req.headers['content-type'] });
  if (req.url === '/') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'vm', state: 'Running' }));
  if (req.url === '/machine-config' && req.method === 'PUT') return res.writeHead(204).end();
  if (req.url === '/drives/bad') return res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ fault_message: 'The drive path is invalid.' }));
  if (req.url === '/mmds') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ big: 'x'.repeat(200_000) }));
  if (req.url === '/balloon') return void stalled.push(res); // never answers
  res.writeHead(500).end('plain failure');
}

beforeAll(async () => {
  socket = join(scratchDir('fd-client-'), 'api.sock');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => answer(req, res, body));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});
afterAll(async () => {
  for (const res of stalled) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('FirecrackerClient', () => {
  it('parses JSON answers, sends JSON bodies, and takes an empty 204 as done', async () => {
    const client = createFirecrackerClient({ connector: unixConnector(socket), name: 'vm-1' });
    try {
      expect(await client.describeInstance()).toEqual({ id: 'vm', state: 'Running' });
      await expect(client.putMachineConfig({ vcpu_count: 2, mem_size_mib: 256 })).resolves.toBeUndefined();
      expect(seen.at(-1)).toEqual({ method: 'PUT', url: '/machine-config', body: '{"vcpu_count":2,"mem_size_mib":256}', contentType: 'application/json' });
      // A body that arrives in many chunks is read whole.
      expect(((await client.getMmds()) as { big: string }).big).toHaveLength(200_000);
    } finally {
      await client.close();
    }
  });

  it('turns Firecracker’s fault_message, or the raw text, into the error message', async () => {
    const client = createFirecrackerClient({ connector: unixConnector(socket), name: 'vm-1' });
    try {
      await expect(client.putDrive({ drive_id: 'bad', path_on_host: 'x', is_root_device: true, is_read_only: false })).rejects.toMatchObject({
        code: 'FIRECRACKER_API_ERROR',
        message: 'The drive path is invalid.',
        details: { status: 400, method: 'PUT', path: '/drives/bad' },
      });
      await expect(client.getVersion()).rejects.toMatchObject({ code: 'FIRECRACKER_API_ERROR', message: 'plain failure' });
    } finally {
      await client.close();
    }
  });

  it('gives up after the timeout, and stops at once when the caller aborts', async () => {
    const client = createFirecrackerClient({ connector: unixConnector(socket), name: 'vm-1' });
    try {
      await expect(client.getBalloon({ timeoutMs: 200 })).rejects.toMatchObject({ code: 'FIRECRACKER_TIMEOUT' });
      const controller = new AbortController();
      const pending = client.getBalloon({ signal: controller.signal });
      controller.abort();
      await expect(pending).rejects.toMatchObject({ code: 'FIRECRACKER_TIMEOUT' });
      await expect(client.getBalloon({ signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'FIRECRACKER_TIMEOUT' });
      // The client still works after both.
      expect(await client.describeInstance()).toMatchObject({ state: 'Running' });
    } finally {
      await client.close();
    }
  });

  it('says the API cannot be reached when the socket is gone', async () => {
    const client = createFirecrackerClient({ connector: unixConnector(join(tmpdir(), 'no-such-dir', 'api.sock')), name: 'vm-1' });
    try {
      await expect(client.describeInstance()).rejects.toMatchObject({ code: 'FIRECRACKER_UNREACHABLE' });
    } finally {
      await client.close();
    }
  });
});
