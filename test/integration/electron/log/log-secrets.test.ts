import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureTestUsers, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../../../support/ssh-test-hosts';
import { failureOf, startTestCore } from '../../../support/test-core';

let users: TestUsers;
let host: TestHost;
beforeAll(async () => {
  users = await ensureTestUsers();
  host = await startTestHost({ address: '127.0.0.151' });
}, 60_000);
afterAll(() => host?.stop());

/** A stand-in for the OS cipher (Electron's safeStorage), so the passphrase can be remembered. */
const cipher = { encrypt: (plain: string) => Buffer.from(plain, 'utf8').reverse(), decrypt: (data: Buffer) => Buffer.from(data).reverse().toString('utf8') };

it('the log file holds what happened and none of the session’s secrets', async () => {
  const t = await startTestCore({ secretCipher: cipher });
  const sudoPassword = 'Sudo-secret-for-the-log-test';
  try {
    const trust = async (id: string) => {
      const failed = await failureOf(t.call('hosts.connect', { id }));
      if (failed.code === 'HOST_KEY_UNKNOWN') await t.call('hosts.trustKey', { id, fingerprint: await host.fingerprint() });
    };
    // Password auth: asked for, refused once, then given and remembered.
    const byPassword = await t.call('hosts.add', { label: 'pw host', address: host.address, port: host.port, user: users.password.name, auth: { method: 'password' } });
    await trust(byPassword.id);
    expect(await failureOf(t.call('hosts.connect', { id: byPassword.id, secret: `${users.password.password}-wrong` }))).toMatchObject({ code: 'AUTH_FAILED' });
    await t.call('hosts.connect', { id: byPassword.id, secret: users.password.password, remember: true });
    // A key with a passphrase: a wrong one, then the right one, remembered, then used again on reconnect.
    const byKey = await t.call('hosts.add', { label: 'pp host', address: host.address, port: host.port, user: users.key.name, auth: { method: 'key', keyPath: users.key.passphraseKeyPath } });
    await trust(byKey.id);
    expect(await failureOf(t.call('hosts.connect', { id: byKey.id, secret: 'not the passphrase at all' }))).toMatchObject({ code: 'KEY_PASSPHRASE_WRONG' });
    expect((await t.call('hosts.connect', { id: byKey.id, secret: users.key.passphrase, remember: true })).secretRemembered).toBe(true);
    t.core.hosts.disconnect(byKey.id);
    expect((await t.call('hosts.connect', { id: byKey.id })).connection.state).toBe('connected');
    // A sudo password sent along (the helper install refuses: the test user has no sudo) and a malformed request carrying one.
    await t.call('network.install', { hostId: byPassword.id, sudoPassword }).catch(() => {});
    await failureOf(t.call('hosts.connect', { id: 'not-a-host-id', secret: users.password.password }));
    const diagnostics = await t.call('app.diagnostics');
    const reveal = await t.call('app.revealLogs');
    expect(reveal).toEqual({ path: t.core.appLog.path, revealed: false });

    const logs = readdirSync(t.core.appLog.dir).map((f) => readFileSync(join(t.core.appLog.dir, f), 'utf8')).join('\n');
    if (process.env.SHOW_LOG) console.log(logs, diagnostics.text);
    // The session is there: hosts connecting and failing, with causes.
    expect(logs).toMatch(/host "pw host" connected/);
    expect(logs).toMatch(/host "pp host" (failed|reconnecting|disconnected)/);
    expect(logs).toMatch(/refused invalid input on hosts\.connect/);
    const key = readFileSync(users.key.passphraseKeyPath, 'utf8');
    const keyLines = key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    for (const text of [logs, diagnostics.text]) {
      for (const secret of [users.password.password, users.key.passphrase, sudoPassword, ...keyLines]) expect(text).not.toContain(secret);
    }
    expect(diagnostics.text).toContain('"pw host": connected');
    expect(diagnostics.text).toMatch(/AUTH_FAILED|KEY_PASSPHRASE_WRONG/); // the last problems are in the report…
    expect(diagnostics.text).not.toContain(host.address); // …without the hosts' addresses and users
    expect(diagnostics.text).not.toContain(users.password.name);
  } finally {
    await t.close();
  }
});
