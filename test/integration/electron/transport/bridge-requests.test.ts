import { connect as connectTcp } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../../electron/core';
import type { Core } from '../../../../electron/core';
import { startBridge } from '../../../../electron/transport/bridge';
import type { Bridge } from '../../../../electron/transport/bridge';
import { connectBridge, opened, rawHttp, request, statusOf } from '../../../support/bridge-sockets';
import { makeTempDir } from '../../../support/temp-dir';

// What any web page the user visits can make their browser send to 127.0.0.1 (an <img> is
// enough), and what a local process can send by hand: none of it may take the backend down.

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let core: Core;
let bridge: Bridge;
const warnings: string[] = [];
const log = { warn: (message: string) => void warnings.push(message), error: (message: string) => void warnings.push(message) };
const bigFileBytes = 8 * 1024 * 1024;

beforeEach(async () => {
  dir = await makeTempDir();
  const staticRoot = join(dir.path, 'renderer');
  await mkdir(join(staticRoot, 'folder.js'), { recursive: true });
  await writeFile(join(staticRoot, 'index.html'), '<!doctype html><title>Firedeck</title>');
  await writeFile(join(staticRoot, 'big.js'), Buffer.alloc(bigFileBytes, 'x'));
  core = await createCore({ dataDir: join(dir.path, 'data'), mode: 'browser', version: '9.9.9', log: { warn: () => {}, error: () => {} } });
  bridge = await startBridge({ router: core.router, events: core.events, releaseOwner: core.releaseOwner, staticRoot, port: 0, log });
});
afterEach(async () => {
  await bridge.close();
  await core.close();
  await dir.cleanup();
});

const host = () => `127.0.0.1:${bridge.port}`;
const plain = (target: string, method = 'GET') => `${method} ${target} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`;
const upgrade = (target: string) =>
  `GET ${target} HTTP/1.1\r\nHost: ${host()}\r\nOrigin: http://${host()}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';

/** The backend still serves the page and answers a request over a fresh bridge socket. */
async function expectStillServing() {
  expect((await fetch(`http://${host()}/`)).status).toBe(200);
  const ws = opened(await connectBridge(bridge.port, `?token=${bridge.token}`));
  expect(await request(ws, { type: 'invoke', id: 1, channel: 'app.getInfo' })).toMatchObject({ ok: true, value: { mode: 'browser' } });
  ws.close();
}

describe('requests that are not for a file of this server', () => {
  const malformed = ['//x:99999', '//[', '//a:b@', '//a:b@/bridge', '//evil.example/bridge', 'http://evil.example/', '*'];

  it('answers a malformed target with 400, on plain requests and WebSocket upgrades, and keeps serving', async () => {
    for (const target of malformed) {
      const answer = await rawHttp(bridge.port, plain(target));
      expect(statusOf(answer), `GET ${target}`).toBe(400);
      expect(answer, `GET ${target}`).toContain('not a path on this server');
    }
    for (const target of malformed) {
      expect(statusOf(await rawHttp(bridge.port, upgrade(target))), `upgrade ${target}`).toBe(400);
      // With the token, too: the target is checked before anything else.
      expect(statusOf(await rawHttp(bridge.port, upgrade(`${target}?token=${bridge.token}`))), `upgrade ${target} with token`).toBe(400);
    }
    await expectStillServing();
  });

  it('answers HEAD with the headers of the file and no body', async () => {
    const answer = await rawHttp(bridge.port, plain('/', 'HEAD'));
    expect(statusOf(answer)).toBe(200);
    expect(answer).toMatch(/content-length: 38\r\n/i);
    expect(answer.endsWith('\r\n\r\n')).toBe(true);
    await expectStillServing();
  });

  it('answers 404 for a folder that looks like a file', async () => {
    expect((await fetch(`http://${host()}/folder.js`)).status).toBe(404);
  });

  it('keeps serving when clients go away in the middle of a download', async () => {
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const socket = connectTcp(bridge.port, '127.0.0.1');
        socket.on('error', () => {});
        socket.once('data', () => {
          socket.resetAndDestroy();
          resolve();
        });
        socket.write(plain('/big.js'));
      });
    }
    const whole = await fetch(`http://${host()}/big.js`);
    expect((await whole.arrayBuffer()).byteLength).toBe(bigFileBytes);
    await expectStillServing();
  });

  it('keeps serving when a refused upgrade is reset by its client before the answer is written', async () => {
    for (let i = 0; i < 20; i++) {
      const socket = connectTcp(bridge.port, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(upgrade('/bridge?token=wrong'), () => socket.resetAndDestroy());
    }
    await expectStillServing();
  });
});
