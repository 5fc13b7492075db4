import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HostInput } from '../../../../shared/channels/hosts';
import { ensureKeyUser, ensureTestUsers, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../../../support/ssh-test-hosts';
import { connectTestHost, failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';
import { makeTempDir } from '../../../support/temp-dir';

// Failures of one connection that used to bring the whole backend down: after each, the
// backend must still answer and connect another host.

let users: TestUsers;
let user: string;
let jumpHost: TestHost;
let target: TestHost;
let temp: { path: string; cleanup(): Promise<void> };
let t: TestCore;

beforeAll(async () => {
  users = await ensureTestUsers();
  user = await ensureKeyUser('fdssh-fail');
  [jumpHost, target] = await Promise.all([startTestHost({ address: '127.0.0.70', users: [user] }), startTestHost({ address: '127.0.0.71', users: [user] })]);
  temp = await makeTempDir('firedeck-agent-');
});
afterAll(async () => {
  await Promise.all([jumpHost.stop(), target.stop(), temp.cleanup()]);
});
afterEach(() => t.close());

const agentHost = (agentSocket?: string): HostInput => ({
  label: 'agent box',
  address: target.address,
  port: target.port,
  user,
  auth: { method: 'agent', ...(agentSocket ? { agentSocket } : {}) },
});

/** A socket file an ssh-agent left behind when it was killed: it exists, nothing listens. */
async function staleAgentSocket(): Promise<string> {
  const socket = join(temp.path, 'stale.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  const exited = new Promise((resolve) => agent.once('exit', resolve));
  for (let i = 0; i < 200 && !existsSync(socket); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  agent.kill('SIGKILL');
  await exited;
  expect(existsSync(socket)).toBe(true);
  return socket;
}

describe('an SSH agent that cannot be reached', () => {
  let known: string;
  beforeEach(async () => {
    t = await startTestCore();
    // The target's key is trusted, so what fails is the agent, not the host key.
    known = await connectTestHost(t, target, { user });
  });
  const stillWorks = async () => expect((await t.core.hosts.connection(known).exec('echo alive')).output.trim()).toBe('alive');

  const cases: [string, () => Promise<{ path: string; why: RegExp }>][] = [
    ['a socket path where nothing exists', async () => ({ path: join(temp.path, 'gone', 'agent.sock'), why: /nothing exists there/ })],
    ['a regular file', async () => {
      const path = join(temp.path, 'regular-file');
      await writeFile(path, 'not a socket');
      return { path, why: /regular file, not a socket/ };
    }],
    ['a folder', async () => {
      const path = join(temp.path, 'a-folder');
      await mkdir(path, { recursive: true });
      return { path, why: /folder, not a socket/ };
    }],
    ['a stale socket left by an agent that stopped', async () => ({ path: await staleAgentSocket(), why: /no agent is listening/ })],
  ];

  for (const [name, make] of cases) {
    it(`${name}: says so with a remedy, and the backend keeps working`, async () => {
      const { path, why } = await make();
      const host = await t.call('hosts.add', agentHost(path));
      const failure = await failureOf(t.call('hosts.connect', { id: host.id }));
      expect(failure).toMatchObject({ code: 'AGENT_UNAVAILABLE', message: expect.stringContaining(`The SSH agent at ${path} cannot be reached`) });
      expect(failure.message).toMatch(why);
      expect(failure.remedy).toMatch(/ssh-add/);
      expect((await t.call('hosts.list')).find((h) => h.id === host.id)?.connection).toMatchObject({ state: 'failed', error: { code: 'AGENT_UNAVAILABLE' } });
      await stillWorks();
    });
  }

  it('a stale SSH_AUTH_SOCK of the environment Firedeck started in', async () => {
    await t.close();
    const stale = await staleAgentSocket();
    t = await startTestCore({ agentSocket: stale });
    known = await connectTestHost(t, target, { user });
    const host = await t.call('hosts.add', agentHost());
    const failure = await failureOf(t.call('hosts.connect', { id: host.id }));
    expect(failure).toMatchObject({ code: 'AGENT_UNAVAILABLE', message: expect.stringContaining(`The SSH agent at ${stale} (SSH_AUTH_SOCK) cannot be reached`) });
    expect(failure.remedy).toMatch(/agent socket in the host’s settings/);
    await stillWorks();
  });
});

describe('a ProxyJump host whose path stalls after connecting', () => {
  beforeEach(async () => {
    // Short keepalives, so that a stalled path is given up in about a second.
    t = await startTestCore({ ssh: { readyTimeoutMs: 3_000, keepaliveIntervalMs: 250, keepaliveCountMax: 2, reconnect: { initialMs: 100, maxMs: 500 } } });
  });

  it('reports the loss, keeps the backend up, and reconnects through the jump host when it answers again', async () => {
    const host = await t.call('hosts.add', { ...agentHost(), auth: { method: 'key', keyPath: users.key.keyPath }, proxyJump: `${user}@${jumpHost.address}:${jumpHost.port}` });
    for (const fingerprint of [await jumpHost.fingerprint(), await target.fingerprint()]) {
      await failureOf(t.call('hosts.connect', { id: host.id }));
      await t.call('hosts.trustKey', { id: host.id, fingerprint });
    }
    expect((await t.call('hosts.connect', { id: host.id })).connection.state).toBe('connected');

    const lost = t.nextEvent('hosts.changed', (h) => h.id === host.id && h.connection.state === 'reconnecting');
    jumpHost.freeze();
    try {
      expect((await lost).connection).toMatchObject({ state: 'reconnecting', error: { code: 'SSH_CONNECTION_LOST' } });
      // A later keepalive failure of the jump connection must not bring the backend down either.
      const other = await connectTestHost(t, target, { user });
      expect((await t.core.hosts.connection(other).exec('echo alive')).output.trim()).toBe('alive');
    } finally {
      jumpHost.thaw();
    }
    const back = t.nextEvent('hosts.changed', (h) => h.id === host.id && h.connection.state === 'connected', 30_000);
    await back;
    expect((await t.core.hosts.connection(host.id).exec('echo through-the-jump')).output.trim()).toBe('through-the-jump');
  }, 60_000);
});
