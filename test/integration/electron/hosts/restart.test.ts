import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureKeyUser, ensureTestUsers, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../../../support/ssh-test-hosts';
import { connectTestHost, failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';

let users: TestUsers;
let user: string;
let host: TestHost;
const cores: TestCore[] = [];

beforeAll(async () => {
  users = await ensureTestUsers();
  user = await ensureKeyUser('fdssh-restart');
  host = await startTestHost({ address: '127.0.0.75', users: [user] });
});
afterAll(() => host.stop());
afterEach(async () => {
  for (const t of cores.splice(0).reverse()) await t.close();
});

async function core(from?: TestCore): Promise<TestCore> {
  const t = await startTestCore(from ? { dataDir: from.dataDir, home: from.home } : {});
  cores.push(t);
  return t;
}

const stateOf = async (t: TestCore, id: string) => (await t.call('hosts.list')).find((h) => h.id === id)?.connection;

describe('after a backend restart', () => {
  it('hosts that were connected and need no secret connect again on their own; the others say why they did not', async () => {
    const first = await core();
    const byKey = await connectTestHost(first, host, { user, label: 'by key' });
    const leftAlone = await connectTestHost(first, host, { user, label: 'disconnected by the user' });
    await first.call('hosts.disconnect', { id: leftAlone });
    const byPassword = await first.call('hosts.add', { label: 'by password', address: host.address, port: host.port, user: users.password.name, auth: { method: 'password' } });
    await first.call('hosts.connect', { id: byPassword.id, secret: users.password.password });
    await first.core.close(); // the backend stops; its data folder stays

    const second = await core(first);
    await expect.poll(async () => (await stateOf(second, byKey))?.state, { timeout: 15_000 }).toBe('connected');
    expect((await second.core.hosts.connection(byKey).exec('echo back')).output.trim()).toBe('back');
    // It is probed too, as a connect by hand is, so the VM list can use the host.
    await expect.poll(async () => (await second.call('hosts.list')).find((h) => h.id === byKey)?.probe?.arch, { timeout: 15_000 }).toBe('x86_64');
    expect(await stateOf(second, leftAlone)).toEqual({ state: 'disconnected' });
    // Browser mode remembers no password: that host waits for it and says so.
    expect(await stateOf(second, byPassword.id)).toMatchObject({ state: 'disconnected', reason: { code: 'SECRET_REQUIRED' } });
    expect(await failureOf(second.call('hosts.connect', { id: byPassword.id }))).toMatchObject({ code: 'SECRET_REQUIRED' });
    expect((await second.call('hosts.connect', { id: byPassword.id, secret: users.password.password })).connection.state).toBe('connected');
  });
});

describe('what the VM list needs of a host', () => {
  it('says since when a host that dropped was last seen', async () => {
    const t = await core();
    const id = await connectTestHost(t, host, { user });
    await t.core.hosts.connection(id).exec('true');
    const before = Date.now();
    const lost = t.nextEvent('hosts.changed', (h) => h.id === id && h.connection.state === 'reconnecting');
    await host.kill();
    // Background work (network repair on connect, the sampler) may have been answered after
    // `before`; nothing can be after the host died.
    const died = Date.now();
    try {
      const summary = await lost;
      expect(summary.lastConnectedAt).toBeDefined();
      expect(Date.parse(summary.lastConnectedAt!)).toBeLessThanOrEqual(died);
      expect(Date.parse(summary.lastConnectedAt!)).toBeGreaterThan(before - 60_000);
    } finally {
      await host.start();
    }
  });

  it('shows the API transport the microVM service reports, beside the configured one', async () => {
    const t = await core();
    const id = await connectTestHost(t, host, { user });
    const changed = t.nextEvent('hosts.changed', (h) => h.id === id && h.apiTransport !== undefined);
    t.core.hosts.noteApiTransport(id, 'ssh-exec', 'sshd forbids stream-local forwarding');
    expect((await changed).apiTransport).toEqual({ configured: 'ssh-unix', inUse: 'ssh-exec', reason: 'sshd forbids stream-local forwarding' });
    expect((await t.call('hosts.list')).find((h) => h.id === id)?.apiTransport?.inUse).toBe('ssh-exec');
  });
});
