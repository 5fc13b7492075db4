import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureKeyUser, ensureTestUsers, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../../../support/ssh-test-hosts';
import { failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';

let users: TestUsers;
let user: string;
let rsaOnly512: TestHost;
let t: TestCore;

beforeAll(async () => {
  users = await ensureTestUsers();
  user = await ensureKeyUser('fdssh-keys');
  const authorized = `/home/${user}/.ssh/authorized_keys`;
  const rsa = await readFile(`${users.key.rsaKeyPath}.pub`, 'utf8');
  if (!(await readFile(authorized, 'utf8')).includes(rsa)) await writeFile(authorized, `${await readFile(authorized, 'utf8')}${rsa}`);
  // An sshd that takes RSA signatures made with SHA-512 only, as hardened servers are set up.
  rsaOnly512 = await startTestHost({ address: '127.0.0.74', users: [user], pubkeyAcceptedAlgorithms: 'rsa-sha2-512' });
});
afterAll(() => rsaOnly512.stop());
beforeEach(async () => {
  t = await startTestCore();
});
afterEach(() => t.close());

async function addTrusted(keyPath: string) {
  const host = await t.call('hosts.add', { label: 'hardened', address: rsaOnly512.address, port: rsaOnly512.port, user, auth: { method: 'key', keyPath } });
  const unknown = await failureOf(t.call('hosts.connect', { id: host.id }));
  expect(unknown.code).toBe('HOST_KEY_UNKNOWN');
  await t.call('hosts.trustKey', { id: host.id, fingerprint: await rsaOnly512.fingerprint() });
  return host;
}

describe('key authentication', () => {
  it('an RSA key logs in to an sshd that accepts only rsa-sha2-512 signatures', async () => {
    const host = await addTrusted(users.key.rsaKeyPath);
    const connected = await t.call('hosts.connect', { id: host.id });
    expect(connected.connection.state).toBe('connected');
    expect((await t.core.hosts.connection(host.id).exec('id -un')).output.trim()).toBe(user);
  });

  it('that sshd really takes nothing else: an ed25519 key is refused, with the authorized_keys remedy', async () => {
    const host = await addTrusted(users.key.keyPath);
    expect(await failureOf(t.call('hosts.connect', { id: host.id }))).toMatchObject({ code: 'AUTH_FAILED', remedy: expect.stringContaining('authorized_keys') });
  });

  it('choosing the .pub file says it is a public key and names the private key beside it', async () => {
    const host = await t.call('hosts.add', { label: 'pub', address: rsaOnly512.address, port: rsaOnly512.port, user, auth: { method: 'key', keyPath: `${users.key.rsaKeyPath}.pub` } });
    const failure = await failureOf(t.call('hosts.connect', { id: host.id }));
    expect(failure).toMatchObject({ code: 'KEY_INVALID', message: `${users.key.rsaKeyPath}.pub is a public key; Firedeck needs the private key to log in.` });
    expect(failure.remedy).toBe(`Choose ${users.key.rsaKeyPath} instead: it is the private key beside it.`);
  });

  it('a .pub file with no private key beside it says to choose the private key', async () => {
    const lonely = join(t.home, 'lonely_key.pub');
    await copyFile(`${users.key.keyPath}.pub`, lonely);
    const host = await t.call('hosts.add', { label: 'pub', address: rsaOnly512.address, port: rsaOnly512.port, user, auth: { method: 'key', keyPath: lonely } });
    const failure = await failureOf(t.call('hosts.connect', { id: host.id }));
    expect(failure).toMatchObject({ code: 'KEY_INVALID', message: `${lonely} is a public key; Firedeck needs the private key to log in.` });
    expect(failure.remedy).toMatch(/^Choose the private key: .*without \.pub/);
  });
});
