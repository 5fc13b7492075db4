import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureKeyUser, ensureTestUsers, revokeKvm, startTestHost } from '../../support/ssh-test-hosts';
import type { TestHost, TestKvm, TestUsers } from '../../support/ssh-test-hosts';

const ssh = (users: TestUsers, host: TestHost, user: string, command: string) =>
  execFileSync('ssh', ['-i', users.key.keyPath, '-p', String(host.port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `${user}@${host.address}`, command], { encoding: 'utf8' });

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
    expect(ssh(users, host, users.key.name, 'whoami').trim()).toBe(users.key.name);
    expect(await host.fingerprint()).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  // Whatever the machine's own /dev/kvm is (root:root 0600, root:kvm 0660, or none), each host
  // presents the one it was asked for.
  it.each([
    ['ok', 'opened'],
    ['permission', 'Permission denied'],
    ['missing', 'No such file or directory'],
    ['no-virtualization', 'No such device'],
  ] as [TestKvm, string][])('a %s host presents its own /dev/kvm', async (kvm, expected) => {
    const user = await ensureKeyUser('fdtest-kvmrig');
    revokeKvm(user);
    const kvmHost = await startTestHost({ address: '127.0.0.60', users: [user], kvm });
    try {
      // `ls` first: opening a missing node read-write would try to create it.
      const result = ssh(users, kvmHost, user, 'ls /dev/kvm >/dev/null 2>&1 && (exec 3<>/dev/kvm) 2>&1 && echo opened; ls /dev/kvm 2>&1; true');
      expect(result).toContain(expected);
    } finally {
      await kvmHost.stop();
    }
  });
});
