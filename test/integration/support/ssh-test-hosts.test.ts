import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestUsers, startTestHost } from '../../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../../support/ssh-test-hosts';

// The harness itself, checked with the stock OpenSSH client.
describe('ssh test hosts', () => {
  let host: TestHost;
  let users: TestUsers;
  beforeAll(async () => {
    users = await ensureTestUsers();
    host = await startTestHost({ address: '127.0.0.2' });
  });
  afterAll(() => host.stop());

  it('serves the key user to OpenSSH with its real host key', async () => {
    const out = execFileSync('ssh', ['-i', users.key.keyPath, '-p', String(host.port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `${users.key.name}@${host.address}`, 'whoami'], { encoding: 'utf8' });
    expect(out.trim()).toBe(users.key.name);
    expect(await host.fingerprint()).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});
