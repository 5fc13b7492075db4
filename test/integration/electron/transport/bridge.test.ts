import { mkdir, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createCore } from '../../../../electron/core';
import type { Core } from '../../../../electron/core';
import { startBridge } from '../../../../electron/transport/bridge';
import type { Bridge } from '../../../../electron/transport/bridge';
import { connectBridge, opened, request } from '../../../support/bridge-sockets';
import { makeTempDir } from '../../../support/temp-dir';
import { BRIDGE_CLOSE_LAUNCH_CODE_REFUSED, BRIDGE_CLOSE_TOKEN_REFUSED } from '../../../../shared/bridge-protocol';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let core: Core;
let bridge: Bridge;
const quietLog = { warn: () => {}, error: () => {} };

beforeEach(async () => {
  dir = await makeTempDir();
  const staticRoot = join(dir.path, 'renderer');
  await mkdir(staticRoot);
  await writeFile(join(staticRoot, 'index.html'), '<!doctype html><title>Firedeck</title>');
  await writeFile(join(dir.path, 'secret.html'), 'outside');
  core = await createCore({ dataDir: join(dir.path, 'data'), mode: 'browser', version: '9.9.9', log: quietLog });
  bridge = await startBridge({ router: core.router, events: core.events, releaseOwner: core.releaseOwner, staticRoot, port: 0, log: quietLog });
});
afterEach(async () => {
  await bridge.close();
  await dir.cleanup();
});

const origin = () => `http://127.0.0.1:${bridge.port}`;
const connect = (query: string, headers?: Record<string, string>) => connectBridge(bridge.port, query, headers);
const open = async () => opened(await connect(`?token=${bridge.token}`));

describe('browser-mode bridge', () => {
  it('listens on loopback only, with a long random token', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{43}$/);
  });

  it('closes a connection without the token, with a wrong one, or with a token of another length, with a code the tab can explain', async () => {
    const refused = { closed: BRIDGE_CLOSE_TOKEN_REFUSED, reason: expect.stringContaining('token') };
    expect(await connect('')).toEqual(refused);
    expect(await connect(`?token=${'x'.repeat(bridge.token.length)}`)).toEqual(refused);
    expect(await connect(`?token=${bridge.token}x`)).toEqual(refused);
  });

  it('refuses pages from other origins and DNS-rebound host names even with the token, before any handshake', async () => {
    expect(await connect(`?token=${bridge.token}`, { Origin: 'https://evil.example' })).toEqual({ status: 401 });
    expect(await connect(`?token=${bridge.token}`, { Origin: origin(), Host: `rebound.example:${bridge.port}` })).toEqual({ status: 401 });
    // fetch() may not set Host, so this one goes through node:http.
    const status = await new Promise<number>((resolve, reject) => {
      get({ host: '127.0.0.1', port: bridge.port, path: '/', headers: { Host: `rebound.example:${bridge.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).once('error', reject);
    });
    expect(status).toBe(421);
  });

  it('exchanges a launch code once for the session token; the code never works again', async () => {
    const launch = new URL(bridge.launchUrl());
    expect(launch.origin).toBe(origin());
    expect(launch.href).not.toContain(bridge.token);
    const code = launch.hash.replace('#launch=', '');
    const first = await connect(`?launch=${code}`);
    expect(first).toMatchObject({ sessionToken: bridge.token });
    const again = await connect(`?launch=${code}`);
    expect(again).toEqual({ closed: BRIDGE_CLOSE_LAUNCH_CODE_REFUSED, reason: expect.stringContaining('already used') });
    expect(await connect('?launch=never-issued')).toMatchObject({ closed: BRIDGE_CLOSE_LAUNCH_CODE_REFUSED });
    // The tab that exchanged it keeps working, and a token connection is not handed the token again.
    expect(await request(opened(first), { type: 'invoke', id: 4, channel: 'app.getInfo' })).toMatchObject({ ok: true });
    expect(await connect(`?token=${bridge.token}`)).not.toHaveProperty('sessionToken');
    opened(first).close();
  });

  it('answers requests through the router', async () => {
    const ws = await open();
    const info = await request(ws, { type: 'invoke', id: 7, channel: 'app.getInfo' });
    expect(info).toMatchObject({ type: 'result', id: 7, ok: true, value: { version: '9.9.9', mode: 'browser' } });
    ws.close();
  });

  it('answers malformed messages and payloads with INVALID_INPUT and keeps serving', async () => {
    const ws = await open();
    expect(await request(ws, 'this is not json')).toMatchObject({ id: null, ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await request(ws, { type: 'invoke', id: 'one', channel: 'app.getInfo' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const bad = await request(ws, { type: 'invoke', id: 2, channel: 'settings.update', input: { firecrackerVersion: '$(reboot)' } });
    expect(bad).toMatchObject({ id: 2, ok: false, error: { code: 'INVALID_INPUT', details: { issues: [{ path: 'firecrackerVersion' }] } } });
    const good = await request(ws, { type: 'invoke', id: 3, channel: 'settings.get' });
    expect(good).toMatchObject({ id: 3, ok: true, value: { firecrackerVersion: 'v1.12.0' } });
    ws.close();
  });

  it('survives a message over the size limit: that tab is closed, the others keep working', async () => {
    const [big, other] = [await open(), await open()];
    const closed = new Promise<void>((resolve) => big.once('close', () => resolve()));
    big.send('x'.repeat(2 * 1024 * 1024));
    await closed;
    expect(await request(other, { type: 'invoke', id: 9, channel: 'settings.get' })).toMatchObject({ id: 9, ok: true });
    other.close();
  });

  it('pushes events to every connected tab', async () => {
    const [a, b] = [await open(), await open()];
    const received = (ws: WebSocket) =>
      new Promise((resolve) => ws.on('message', (data) => {
        const parsed = JSON.parse(String(data));
        if (parsed.type === 'event') resolve(parsed);
      }));
    const events = [received(a), received(b)];
    await request(a, { type: 'invoke', id: 1, channel: 'settings.update', input: { theme: 'dark' } });
    for (const event of await Promise.all(events)) {
      expect(event).toMatchObject({ event: 'settings.changed', payload: { theme: 'dark' } });
    }
    a.close();
    b.close();
  });

  it('serves the renderer with its CSP and nothing outside it', async () => {
    const page = await fetch(`${origin()}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`connect-src 'self' ws://127.0.0.1:${bridge.port}`);
    expect((await fetch(`${origin()}/..%2fsecret.html`)).status).toBe(404);
    expect((await fetch(`${origin()}/`, { method: 'POST' })).status).toBe(405);
  });

  it('tells open tabs when the backend stops', async () => {
    const ws = await open();
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await bridge.close();
    expect(await closed).toBe(4001);
    bridge = { ...bridge, close: async () => {} };
  });
});
