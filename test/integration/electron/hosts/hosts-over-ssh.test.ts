import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/app-error';
import type { HostInput, HostSummary } from '../../../../shared/channels/hosts';
import { ensureTestUsers, startTestAgent, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../../../support/ssh-test-hosts';
import { failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';

let users: TestUsers;
let hostA: TestHost;
let hostB: TestHost;
let agent: { socket: string; stop(): Promise<void> };
let t: TestCore;

beforeAll(async () => {
  users = await ensureTestUsers();
  [hostA, hostB, agent] = await Promise.all([startTestHost({ address: '127.0.0.2' }), startTestHost({ address: '127.0.0.3' }), startTestAgent()]);
});
afterAll(async () => {
  await Promise.all([hostA.stop(), hostB.stop(), agent.stop()]);
});
beforeEach(async () => {
  t = await startTestCore({ agentSocket: agent.socket });
});
afterEach(() => t.close());

const keyHost = (host: TestHost, extra: Partial<HostInput> = {}): HostInput => ({
  label: 'build box',
  address: host.address,
  port: host.port,
  user: users.key.name,
  auth: { method: 'key', keyPath: users.key.keyPath },
  ...extra,
});

/** Adds a host and trusts its key the way the UI does: connect, read the fingerprint, trust it. */
async function addTrusted(input: HostInput): Promise<HostSummary> {
  const host = await t.call('hosts.add', input);
  const unknown = await failureOf(t.call('hosts.connect', { id: host.id }));
  expect(unknown.code).toBe('HOST_KEY_UNKNOWN');
  await t.call('hosts.trustKey', { id: host.id, fingerprint: (unknown.details as { fingerprint: string }).fingerprint });
  return host;
}

describe('connecting', () => {
  it('shows an unknown host key with the fingerprint ssh-keygen prints, and connects by key once trusted', async () => {
    const host = await t.call('hosts.add', keyHost(hostA));
    const unknown = await failureOf(t.call('hosts.connect', { id: host.id }));
    expect(unknown).toMatchObject({ code: 'HOST_KEY_UNKNOWN', details: { fingerprint: await hostA.fingerprint(), keyType: 'ssh-ed25519' } });
    expect(unknown.message).toContain(await hostA.fingerprint());

    // A fingerprint the host did not present cannot be trusted through the back door.
    const forged = await failureOf(t.call('hosts.trustKey', { id: host.id, fingerprint: `SHA256:${'A'.repeat(43)}` }));
    expect(forged.code).toBe('HOST_KEY_NOT_PRESENTED');

    await t.call('hosts.trustKey', { id: host.id, fingerprint: await hostA.fingerprint() });
    const connected = await t.call('hosts.connect', { id: host.id });
    expect(connected.connection.state).toBe('connected');
    expect(connected.probe).toMatchObject({ arch: 'x86_64', machine: 'x86_64', kvm: { verdict: expect.any(String) } });
    // The trusted key is in Firedeck's own known_hosts, in the format OpenSSH reads.
    execFileSync('ssh-keygen', ['-F', `[${hostA.address}]:${hostA.port}`, '-f', join(t.dataDir, 'known_hosts')]);
  });

  it('connects by password, and by the SSH agent', async () => {
    const byPassword = await addTrusted({ ...keyHost(hostA), user: users.password.name, auth: { method: 'password' } });
    expect(await failureOf(t.call('hosts.connect', { id: byPassword.id }))).toMatchObject({ code: 'SECRET_REQUIRED' });
    expect((await t.call('hosts.connect', { id: byPassword.id, secret: users.password.password })).connection.state).toBe('connected');

    const byAgent = await t.call('hosts.add', keyHost(hostA, { auth: { method: 'agent' } }));
    expect((await t.call('hosts.connect', { id: byAgent.id })).connection.state).toBe('connected');
  });

  it('accepts a hashed entry in ~/.ssh/known_hosts without asking', async () => {
    const knownHosts = join(t.home, '.ssh', 'known_hosts');
    const key = (await hostA.hostKey()).toString('base64');
    await writeFile(knownHosts, `[${hostA.address}]:${hostA.port} ssh-ed25519 ${key}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', knownHosts], { stdio: 'ignore' });
    expect(await readFile(knownHosts, 'utf8')).toMatch(/^\|1\|/);
    const host = await t.call('hosts.add', keyHost(hostA));
    expect((await t.call('hosts.connect', { id: host.id })).connection.state).toBe('connected');
  });

  it('refuses a changed host key, runs nothing, and replaces it only when the user says so', async () => {
    const host = await addTrusted(keyHost(hostB));
    await t.call('hosts.connect', { id: host.id });
    await t.call('hosts.disconnect', { id: host.id });
    const oldFingerprint = await hostB.fingerprint();
    await hostB.replaceHostKey();

    const changed = await failureOf(t.call('hosts.connect', { id: host.id }));
    expect(changed).toMatchObject({ code: 'HOST_KEY_CHANGED', details: { fingerprint: await hostB.fingerprint(), knownFingerprints: [oldFingerprint] } });
    expect(changed.message).toMatch(/man-in-the-middle/);
    expect(await failureOf(t.call('hosts.probe', { id: host.id }))).toMatchObject({ code: 'HOST_NOT_CONNECTED' });
    // Trusting without the explicit replace is refused; with it, the new key takes over.
    expect(await failureOf(t.call('hosts.trustKey', { id: host.id, fingerprint: await hostB.fingerprint() }))).toMatchObject({ code: 'HOST_KEY_CHANGED' });
    await t.call('hosts.trustKey', { id: host.id, fingerprint: await hostB.fingerprint(), replace: true });
    expect((await t.call('hosts.connect', { id: host.id })).connection.state).toBe('connected');
  });

  it('reaches a host through a ProxyJump host', async () => {
    const viaJump = await t.call('hosts.add', keyHost(hostB, { proxyJump: `${users.key.name}@${hostA.address}:${hostA.port}` }));
    // Both keys are checked: first the jump host's, then the target's.
    const first = await failureOf(t.call('hosts.connect', { id: viaJump.id }));
    expect(first.details).toMatchObject({ host: hostA.address, fingerprint: await hostA.fingerprint() });
    await t.call('hosts.trustKey', { id: viaJump.id, fingerprint: await hostA.fingerprint() });
    const second = await failureOf(t.call('hosts.connect', { id: viaJump.id }));
    expect(second.details).toMatchObject({ host: hostB.address, fingerprint: await hostB.fingerprint() });
    await t.call('hosts.trustKey', { id: viaJump.id, fingerprint: await hostB.fingerprint() });
    expect((await t.call('hosts.connect', { id: viaJump.id })).connection.state).toBe('connected');
  });
});

describe('errors a user can act on', () => {
  it('wrong password, and the wrong password is not kept', async () => {
    const host = await addTrusted({ ...keyHost(hostA), user: users.password.name, auth: { method: 'password' } });
    const refused = await failureOf(t.call('hosts.connect', { id: host.id, secret: 'not the password' }));
    expect(refused).toMatchObject({ code: 'AUTH_FAILED', remedy: expect.stringContaining('password') });
    expect(await failureOf(t.call('hosts.connect', { id: host.id }))).toMatchObject({ code: 'SECRET_REQUIRED' });
  });

  it('passphrase missing, wrong, then right', async () => {
    const host = await addTrusted(keyHost(hostA, { auth: { method: 'key', keyPath: users.key.passphraseKeyPath } }));
    // addTrusted saw the key prompt first; now the passphrase is what is missing.
    expect(await failureOf(t.call('hosts.connect', { id: host.id }))).toMatchObject({ code: 'KEY_PASSPHRASE_REQUIRED' });
    expect(await failureOf(t.call('hosts.connect', { id: host.id, secret: 'wrong' }))).toMatchObject({ code: 'KEY_PASSPHRASE_WRONG' });
    expect((await t.call('hosts.connect', { id: host.id, secret: users.key.passphrase })).connection.state).toBe('connected');
  });

  it('a missing key file and an unreachable port', async () => {
    const missing = await failureOf(t.call('hosts.add', keyHost(hostA, { auth: { method: 'key', keyPath: '/nonexistent/id_ed25519' } })));
    expect(missing).toMatchObject({ code: 'INVALID_INPUT', details: { issues: [{ path: 'auth.keyPath', message: 'There is no file at /nonexistent/id_ed25519.' }] } });
    // A key that disappears after the host was saved is reported when connecting.
    const { copyFile, rm } = await import('node:fs/promises');
    const keyCopy = join(t.home, 'id_copy');
    await copyFile(users.key.keyPath, keyCopy);
    const vanishing = await t.call('hosts.add', keyHost(hostA, { auth: { method: 'key', keyPath: keyCopy } }));
    await rm(keyCopy);
    expect(await failureOf(t.call('hosts.connect', { id: vanishing.id }))).toMatchObject({ code: 'KEY_UNREADABLE', message: expect.stringContaining('does not exist') });
    const closed = await t.call('hosts.add', keyHost(hostA, { port: 1 }));
    const refused = await failureOf(t.call('hosts.connect', { id: closed.id }));
    expect(refused).toMatchObject({ code: 'HOST_UNREACHABLE', message: expect.stringContaining('connection refused') });
  });
});

describe('a live connection', () => {
  it('reports sshd dying in the middle of a command, and recovers when sshd returns', async () => {
    const host = await addTrusted(keyHost(hostB));
    await t.call('hosts.connect', { id: host.id });
    const connection = t.core.hosts.connection(host.id);
    // The command says it has started by leaving a file (the test host shares this filesystem).
    const started = `/tmp/firedeck-running-${randomUUID()}`;
    const running = connection.exec(`touch '${started}'; sleep 10; echo done`).then(() => null, (error: unknown) => error);
    const reconnecting = t.nextEvent('hosts.changed', (h) => h.id === host.id && h.connection.state === 'reconnecting');
    await expect.poll(() => existsSync(started), { timeout: 10_000 }).toBe(true);
    await rm(started, { force: true });
    await hostB.kill();
    expect(await running).toMatchObject({ code: 'SSH_CONNECTION_LOST', message: expect.stringContaining('may or may not have finished') });
    expect((await reconnecting).connection).toMatchObject({ state: 'reconnecting', error: { code: 'SSH_CONNECTION_LOST' } });

    const back = t.nextEvent('hosts.changed', (h) => h.id === host.id && h.connection.state === 'connected');
    await hostB.start();
    await back;
    expect((await connection.exec('echo again')).output.trim()).toBe('again');
  });

  it('runs 50 commands fired at once on one connection', async () => {
    const host = await addTrusted(keyHost(hostA));
    await t.call('hosts.connect', { id: host.id });
    const connection = t.core.hosts.connection(host.id);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => connection.exec(`echo ${i}`)));
    expect(results.map((r) => r.output.trim())).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
  });

  // A sender can fail before the channel is even open (a small file is read whole at once): the
  // command must end with that error, not wait for bytes that will never come.
  it('ends a command whose stdin fails before its channel is open, with the sender’s own error', async () => {
    const host = await addTrusted(keyHost(hostA));
    await t.call('hosts.connect', { id: host.id });
    const connection = t.core.hosts.connection(host.id);
    const failing = (error: Error) => {
      const sender = new PassThrough();
      const command = connection.exec('cat > /dev/null', { stdin: sender, timeoutMs: 0 });
      sender.destroy(error); // emitted on the next tick, long before sshd answers the channel open
      return command.then(() => null, (failure: unknown) => failure);
    };
    const vague = failing(new Error('EIO: i/o error, read'));
    const known = failing(new AppError('PUSH_FAILED', 'The file changed while it was being sent; nothing of it was kept.'));
    expect(await vague).toMatchObject({ code: 'PUSH_FAILED', message: expect.stringContaining('could not read what it was sending') });
    expect(await known).toMatchObject({ code: 'PUSH_FAILED', message: expect.stringContaining('changed while it was being sent') });
    expect((await connection.exec('echo still here')).output.trim()).toBe('still here');
  });

  it('ignores whatever the login shell prints before a command', async () => {
    const bashrc = `/home/${users.key.name}/.bashrc`;
    const original = await readFile(bashrc, 'utf8');
    await writeFile(bashrc, `echo "Welcome! pyenv says hello"\necho "machine=sparc64"\n${original}`);
    try {
      const host = await addTrusted(keyHost(hostA));
      const connected = await t.call('hosts.connect', { id: host.id });
      expect(connected.probe?.machine).toBe('x86_64');
    } finally {
      await writeFile(bashrc, original);
    }
  });
});

describe('hostile input', () => {
  const payloads = ['$(touch /tmp/firedeck-pwned)', "'; touch /tmp/firedeck-pwned; '", '`touch /tmp/firedeck-pwned`', 'a;touch /tmp/firedeck-pwned', 'a\ntouch /tmp/firedeck-pwned'];

  it('a user name holding shell syntax is refused before anything runs', async () => {
    for (const user of payloads) {
      const refused = await failureOf(t.call('hosts.add', { ...keyHost(hostA), user }));
      expect(refused).toMatchObject({ code: 'INVALID_INPUT', details: { issues: [expect.objectContaining({ path: 'user' })] } });
    }
    expect(await t.call('hosts.list')).toEqual([]);
  });

  it('a label holding shell syntax is kept as text and executes nothing on the host', async () => {
    await addTrusted(keyHost(hostA));
    for (const label of payloads) {
      const host = await t.call('hosts.add', keyHost(hostA, { label }));
      const connected = await t.call('hosts.connect', { id: host.id });
      expect(connected.label).toBe(label.trim());
      expect(connected.probe?.arch).toBe('x86_64');
    }
    // The test hosts share this machine's filesystem, so the file would be here.
    expect(existsSync('/tmp/firedeck-pwned')).toBe(false);
  });
});
