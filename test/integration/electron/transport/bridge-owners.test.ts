import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { createResourceRegistry } from '../../../../electron/app/resources';
import type { ResourceRegistry } from '../../../../electron/app/resources';
import { createCore } from '../../../../electron/core';
import type { Core } from '../../../../electron/core';
import type { Router } from '../../../../electron/router';
import { startBridge } from '../../../../electron/transport/bridge';
import type { Bridge } from '../../../../electron/transport/bridge';
import { connectBridge, opened, request } from '../../../support/bridge-sockets';
import { makeTempDir } from '../../../support/temp-dir';

// Each bridge socket is one owner. A stand-in channel, `test.openConsole`, registers a resource
// under the caller in a real registry, as the VM console does; every other channel goes to a
// real core. releaseOwner is the core's own, seen through a recording wrapper.
let dir: Awaited<ReturnType<typeof makeTempDir>>;
let core: Core;
let bridge: Bridge;
let resources: ResourceRegistry;
let released: string[];
let closedResources: string[];
/** Resolves the pending `test.openConsoleSlowly`. */
let finishSlowOpen: (() => void) | undefined;

beforeEach(async () => {
  dir = await makeTempDir();
  const staticRoot = join(dir.path, 'renderer');
  await mkdir(staticRoot);
  await writeFile(join(staticRoot, 'index.html'), '<!doctype html>');
  core = await createCore({ dataDir: join(dir.path, 'data'), mode: 'browser', version: '9.9.9', log: { warn: () => {}, error: () => {} } });
  resources = createResourceRegistry();
  released = [];
  finishSlowOpen = undefined;
  closedResources = [];
  const openConsole = (ownerId: string, name: string) => {
    resources.add(ownerId, 'console', { close: () => void closedResources.push(name) });
    return { ok: true as const, value: { name } };
  };
  const router: Router = {
    async handle(channel, input, caller) {
      const name = (input as { name?: string } | undefined)?.name ?? '';
      if (channel === 'test.openConsole') return openConsole(caller.ownerId, name);
      if (channel === 'test.openConsoleSlowly') {
        await new Promise<void>((resolve) => (finishSlowOpen = resolve));
        return openConsole(caller.ownerId, name);
      }
      return core.router.handle(channel, input, caller);
    },
  };
  bridge = await startBridge({
    router,
    events: core.events,
    releaseOwner: (ownerId) => {
      released.push(ownerId);
      resources.releaseOwner(ownerId);
      core.releaseOwner(ownerId);
    },
    staticRoot,
    port: 0,
    log: { warn: () => {}, error: () => {} },
  });
});
afterEach(async () => {
  await bridge.close();
  await core.close();
  await dir.cleanup();
});

const tab = async () => opened(await connectBridge(bridge.port, `?token=${bridge.token}`));
const openConsole = (ws: WebSocket, name: string) => request(ws, { type: 'invoke', id: 1, channel: 'test.openConsole', input: { name } });

describe('what a browser tab opened', () => {
  it('is closed when its bridge socket closes, and only what that tab opened', async () => {
    const [a, b] = [await tab(), await tab()];
    await openConsole(a, 'a1');
    await openConsole(a, 'a2');
    await openConsole(b, 'b1');
    expect(resources.count('console')).toBe(3);

    a.close();
    await vi.waitFor(() => expect(closedResources.sort()).toEqual(['a1', 'a2']), { timeout: 5_000 });
    expect(resources.count('console')).toBe(1);
    expect(await request(b, { type: 'invoke', id: 2, channel: 'app.getInfo' })).toMatchObject({ ok: true });

    b.terminate(); // a tab that crashes sends no close frame
    await vi.waitFor(() => expect(resources.count('console')).toBe(0), { timeout: 5_000 });
    expect(closedResources).toContain('b1');
    expect(new Set(released).size).toBe(2);
  });

  it('is closed even when the request that opens it finishes after the tab went away', async () => {
    const ws = await tab();
    ws.send(JSON.stringify({ type: 'invoke', id: 5, channel: 'test.openConsoleSlowly', input: { name: 'late' } }));
    await vi.waitFor(() => expect(finishSlowOpen).toBeDefined(), { timeout: 5_000 });
    ws.close();
    await vi.waitFor(() => expect(released).toHaveLength(1), { timeout: 5_000 });

    finishSlowOpen!();
    await vi.waitFor(() => expect(closedResources).toEqual(['late']), { timeout: 5_000 });
    expect(resources.count()).toBe(0);
  });
});
