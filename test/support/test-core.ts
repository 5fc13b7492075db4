import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createCore } from '../../electron/core';
import type { Core, CoreOptions } from '../../electron/core';
import type { Caller } from '../../electron/router';
import type { ChannelName, InputOf, OutputOf } from '../../shared/contract';
import type { AppErrorShape } from '../../shared/errors';
import type { EventMap, EventName } from '../../shared/events';
import { ensureTestUsers } from './ssh-test-hosts';
import { makeTempDir } from './temp-dir';

export class CallFailed extends Error {
  constructor(readonly error: AppErrorShape) {
    super(`${error.code}: ${error.message}`);
  }
}

export interface TestCore {
  core: Core;
  dataDir: string;
  home: string;
  /** Calls a channel through the router, as the renderer would; rejects with CallFailed. */
  call<C extends ChannelName>(channel: C, input?: InputOf<C>): Promise<OutputOf<C>>;
  /** The owner every `call` is made as (one renderer); `core.releaseOwner(caller.ownerId)` is its window closing. */
  caller: Caller;
  /** Resolves with the first event of this name that satisfies `match`. */
  nextEvent<E extends EventName>(event: E, match: (payload: EventMap[E]) => boolean, timeoutMs?: number): Promise<EventMap[E]>;
  close(): Promise<void>;
}

/** The real backend on a temp data folder and a temp home (its own ~/.ssh), for integration tests. */
export async function startTestCore(options: Partial<CoreOptions> = {}): Promise<TestCore> {
  const temp = await makeTempDir('firedeck-core-');
  const dataDir = join(temp.path, 'data');
  const home = join(temp.path, 'home');
  await mkdir(join(home, '.ssh'), { recursive: true });
  const core = await createCore({
    dataDir,
    home,
    mode: 'browser',
    version: '0.0.0-test',
    log: { warn: () => {}, error: () => {} },
    ssh: { readyTimeoutMs: 5_000, reconnect: { initialMs: 100, maxMs: 500 } },
    vmPollMs: 0,
    ...options,
  });
  const caller: Caller = { ownerId: 'test-window' };
  return {
    core,
    dataDir,
    home,
    caller,
    async call(channel, input) {
      const result = await core.router.handle(channel, input, caller);
      if (!result.ok) throw new CallFailed(result.error);
      return result.value as never;
    },
    nextEvent(event, match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          unsubscribe();
          reject(new Error(`no matching ${event} event within ${timeoutMs} ms`));
        }, timeoutMs);
        const unsubscribe = core.events.subscribe((name, payload) => {
          if ((name as string) !== event || !match(payload as unknown as EventMap[typeof event])) return;
          clearTimeout(timer);
          unsubscribe();
          resolve(payload as unknown as EventMap[typeof event]);
        });
      });
    },
    async close() {
      await core.close();
      await temp.cleanup();
    },
  };
}

/** The error a call failed with, or a thrown Error when it did not fail. */
export async function failureOf(promise: Promise<unknown>): Promise<AppErrorShape> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CallFailed) return error.error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/**
 * Adds a test host to the backend and connects to it by key as a user would: connect, and when
 * the key is still unknown, trust the fingerprint the host really has, then connect again.
 * Returns the host's id.
 */
export async function connectTestHost(
  t: TestCore,
  host: { address: string; port: number; fingerprint(): Promise<string> },
  options: { user?: string; label?: string } = {},
): Promise<string> {
  const users = await ensureTestUsers();
  const added = await t.call('hosts.add', {
    label: options.label ?? `host ${host.address}`,
    address: host.address,
    port: host.port,
    user: options.user ?? users.key.name,
    auth: { method: 'key', keyPath: users.key.keyPath },
  });
  const unknown = await t.call('hosts.connect', { id: added.id }).then(() => null, (error: unknown) => error);
  if (unknown) {
    await t.call('hosts.trustKey', { id: added.id, fingerprint: await host.fingerprint() });
    await t.call('hosts.connect', { id: added.id });
  }
  return added.id;
}

/**
 * Opens a VM's serial console, types `send`, and returns what it printed up to and including
 * `expectText`; closes the console again.
 */
export async function consoleText(t: TestCore, hostId: string, id: string, send: string, expectText: string): Promise<string> {
  let text = '';
  const { sessionId } = await t.call('vms.consoleOpen', { hostId, id });
  const seen = t.nextEvent('vms.consoleOutput', (e) => {
    if (e.sessionId === sessionId) text += e.data;
    return text.includes(expectText);
  });
  await t.call('vms.consoleInput', { sessionId, data: send });
  await seen;
  await t.call('vms.consoleClose', { sessionId });
  return text;
}
