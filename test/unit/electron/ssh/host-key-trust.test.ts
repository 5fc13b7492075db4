import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHostKeyTrust } from '../../../../electron/ssh/host-key-trust';
import { fingerprintSha256 } from '../../../../electron/ssh/known-hosts';
import { makeTempDir } from '../../../support/temp-dir';

// Real keys from the real ssh-keygen, and the real ssh-keygen reading what Firedeck writes.
interface TestKey {
  type: string;
  base64: string;
  blob: Buffer;
  /** What `ssh-keygen -lf` prints as the fingerprint. */
  sshKeygenFingerprint: string;
}

const KEY_SPECS = {
  old: ['-t', 'ed25519'],
  current: ['-t', 'ed25519'],
  other: ['-t', 'ed25519'],
  ecdsa: ['-t', 'ecdsa'],
} as const;
type KeyName = keyof typeof KEY_SPECS;

let keyDir: Awaited<ReturnType<typeof makeTempDir>>;
const keys = {} as Record<KeyName, TestKey>;

beforeAll(async () => {
  keyDir = await makeTempDir('firedeck-hostkeys-');
  for (const [name, args] of Object.entries(KEY_SPECS) as [KeyName, readonly string[]][]) {
    const path = join(keyDir.path, name);
    execFileSync('ssh-keygen', ['-q', ...args, '-N', '', '-C', `${name}@test`, '-f', path]);
    const [type = '', base64 = ''] = readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/);
    const sshKeygenFingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${path}.pub`], { encoding: 'utf8' }).split(/\s+/)[1] ?? '';
    keys[name] = { type, base64, blob: Buffer.from(base64, 'base64'), sshKeygenFingerprint };
  }
});
afterAll(() => keyDir.cleanup());

const HOST = '127.0.0.9';
const PORT = 2222;
const BRACKETED = `[${HOST}]:${PORT}`;

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let userFile = '';
let appFile = '';
beforeEach(async () => {
  dir = await makeTempDir('firedeck-trust-');
  await mkdir(join(dir.path, 'ssh'));
  userFile = join(dir.path, 'ssh', 'known_hosts');
  appFile = join(dir.path, 'firedeck', 'known_hosts');
});
afterEach(() => dir.cleanup());

const trustStore = (userFiles = [userFile]) => createHostKeyTrust({ userKnownHostsFiles: userFiles, appKnownHostsFile: appFile });
const line = (hostField: string, key: TestKey) => `${hostField} ${key.type} ${key.base64}`;

/** `ssh-keygen -F name -f file`: exit status 0 and the matching lines when OpenSSH finds the host. */
function sshKeygenFind(name: string, file: string): { found: boolean; lines: string[] } {
  const result = spawnSync('ssh-keygen', ['-F', name, '-f', file], { encoding: 'utf8' });
  return { found: result.status === 0, lines: result.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#')) };
}

describe('createHostKeyTrust', () => {
  it('reports an unknown host, trusts it on request, and writes a line OpenSSH can read', async () => {
    const trust = trustStore();
    const before = await trust.lookup(HOST, PORT, keys.current.blob);
    expect(before).toEqual({
      verdict: 'unknown',
      keyType: 'ssh-ed25519',
      fingerprint: keys.current.sshKeygenFingerprint,
      knownFingerprints: [],
      source: null,
    });

    await trust.trust(HOST, PORT, keys.current.blob, { replace: false });
    expect(await trust.lookup(HOST, PORT, keys.current.blob)).toMatchObject({ verdict: 'trusted', source: 'firedeck' });
    // A fresh instance reads it back from disk.
    expect((await trustStore().lookup(HOST, PORT, keys.current.blob)).verdict).toBe('trusted');

    const found = sshKeygenFind(BRACKETED, appFile);
    expect(found.found).toBe(true);
    expect(found.lines).toEqual([line(BRACKETED, keys.current)]);
    // The user's file is never created or written.
    expect(existsSync(userFile)).toBe(false);
  });

  it('writes the bare host name for port 22, as OpenSSH does', async () => {
    await trustStore().trust(HOST, 22, keys.current.blob, { replace: false });
    expect(sshKeygenFind(HOST, appFile).lines).toEqual([line(HOST, keys.current)]);
    expect(sshKeygenFind(BRACKETED, appFile).found).toBe(false);
  });

  it('trusts a key only for the port it was trusted on', async () => {
    const trust = trustStore();
    await trust.trust(HOST, PORT, keys.current.blob, { replace: false });
    expect((await trust.lookup(HOST, 22, keys.current.blob)).verdict).toBe('unknown');
    expect((await trust.lookup(HOST, 2223, keys.current.blob)).verdict).toBe('unknown');
    expect((await trust.lookup('127.0.0.10', PORT, keys.current.blob)).verdict).toBe('unknown');
  });

  it('does not add a second line when trusting a key twice', async () => {
    const trust = trustStore();
    await trust.trust(HOST, PORT, keys.current.blob, { replace: false });
    await trust.trust(HOST, PORT, keys.current.blob, { replace: false });
    expect((await readFile(appFile, 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('trusts keys the user already accepted in ~/.ssh/known_hosts, hashed or not, without writing', async () => {
    await writeFile(userFile, `${line(BRACKETED, keys.current)}\n${line('other.example.com', keys.other)}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', userFile], { stdio: 'ignore' });
    expect(readFileSync(userFile, 'utf8')).toMatch(/^\|1\|/);

    const trust = trustStore();
    expect(await trust.lookup(HOST, PORT, keys.current.blob)).toMatchObject({ verdict: 'trusted', source: 'user' });
    expect(await trust.lookup('other.example.com', 22, keys.other.blob)).toMatchObject({ verdict: 'trusted', source: 'user' });
    await trust.trust(HOST, PORT, keys.current.blob, { replace: false });
    expect(existsSync(appFile)).toBe(false);
  });

  it('reads every user known_hosts file it is given, and tolerates missing ones', async () => {
    const second = join(dir.path, 'ssh', 'known_hosts2');
    await writeFile(second, `${line(BRACKETED, keys.current)}\n`);
    const trust = trustStore([join(dir.path, 'ssh', 'missing'), userFile, second]);
    expect((await trust.lookup(HOST, PORT, keys.current.blob)).verdict).toBe('trusted');
  });

  describe('a key that changed in the user’s known_hosts', () => {
    const userText = () =>
      `# my hosts\r\n${line(BRACKETED, keys.old)}\r\n${line('other.example.com', keys.other)}\r\n\r\n# trailing comment without newline`;

    beforeEach(() => writeFile(userFile, userText()));

    it('is reported as changed, with the fingerprint on record', async () => {
      expect(await trustStore().lookup(HOST, PORT, keys.current.blob)).toEqual({
        verdict: 'changed',
        keyType: 'ssh-ed25519',
        fingerprint: keys.current.sshKeygenFingerprint,
        knownFingerprints: [keys.old.sshKeygenFingerprint],
        source: 'user',
      });
      expect(fingerprintSha256(keys.old.blob)).toBe(keys.old.sshKeygenFingerprint);
    });

    it('is not trusted without replace', async () => {
      await expect(trustStore().trust(HOST, PORT, keys.current.blob, { replace: false })).rejects.toMatchObject({
        code: 'HOST_KEY_CHANGED',
        remedy: expect.any(String),
      });
      expect(existsSync(appFile)).toBe(false);
      expect((await trustStore().lookup(HOST, PORT, keys.current.blob)).verdict).toBe('changed');
    });

    it('with replace, wins from then on while the user’s file stays byte-for-byte the same', async () => {
      const userBytes = await readFile(userFile);
      const userMtime = (await stat(userFile)).mtimeMs;

      await trustStore().trust(HOST, PORT, keys.current.blob, { replace: true });

      const trust = trustStore();
      expect(await trust.lookup(HOST, PORT, keys.current.blob)).toMatchObject({ verdict: 'trusted', source: 'firedeck', knownFingerprints: [] });
      // The old key is now the stranger for Firedeck.
      expect(await trust.lookup(HOST, PORT, keys.old.blob)).toMatchObject({
        verdict: 'changed',
        source: 'firedeck',
        knownFingerprints: [keys.current.sshKeygenFingerprint],
      });
      expect((await readFile(userFile)).equals(userBytes)).toBe(true);
      expect((await stat(userFile)).mtimeMs).toBe(userMtime);
      expect(sshKeygenFind(BRACKETED, appFile).lines).toEqual([line(BRACKETED, keys.current)]);
    });
  });

  describe('a key marked @revoked in the user’s known_hosts', () => {
    it.each([
      ['for this host', BRACKETED],
      ['for every host', '*'],
    ])('is reported as revoked (%s) and can never be trusted', async (_what, hostField) => {
      await writeFile(userFile, `@revoked ${line(hostField, keys.current)}\n`);
      const trust = trustStore();
      expect(await trust.lookup(HOST, PORT, keys.current.blob)).toMatchObject({ verdict: 'revoked', fingerprint: keys.current.sshKeygenFingerprint });
      for (const replace of [false, true]) {
        await expect(trust.trust(HOST, PORT, keys.current.blob, { replace })).rejects.toMatchObject({ code: 'HOST_KEY_REVOKED' });
      }
      expect(existsSync(appFile)).toBe(false);
      // Another key for the same host is not affected by the revocation.
      expect((await trust.lookup(HOST, PORT, keys.other.blob)).verdict).toBe('unknown');
    });

    it('blocks a key even after Firedeck trusted it earlier', async () => {
      const trust = trustStore();
      await trust.trust(HOST, PORT, keys.current.blob, { replace: false });
      await writeFile(userFile, `@revoked ${BRACKETED} ${keys.current.type} ${keys.current.base64}\n`);
      expect((await trust.lookup(HOST, PORT, keys.current.blob)).verdict).toBe('revoked');
    });
  });

  it('replacing removes only the stale line for that host and key type from Firedeck’s file', async () => {
    const trust = trustStore();
    await trust.trust(HOST, PORT, keys.old.blob, { replace: false });
    await trust.trust(HOST, PORT, keys.ecdsa.blob, { replace: false }); // another key type: a new key, not a change
    await trust.trust('other.example.com', 22, keys.other.blob, { replace: false });
    await trust.trust(HOST, 22, keys.old.blob, { replace: false }); // same host, other port
    expect((await trust.lookup(HOST, PORT, keys.current.blob)).verdict).toBe('changed');

    await trust.trust(HOST, PORT, keys.current.blob, { replace: true });

    const lines = (await readFile(appFile, 'utf8')).trim().split('\n');
    expect(lines).not.toContain(line(BRACKETED, keys.old));
    expect(lines.sort()).toEqual(
      [line(BRACKETED, keys.ecdsa), line('other.example.com', keys.other), line(HOST, keys.old), line(BRACKETED, keys.current)].sort(),
    );
    expect(sshKeygenFind(BRACKETED, appFile).lines.sort()).toEqual([line(BRACKETED, keys.ecdsa), line(BRACKETED, keys.current)].sort());
    expect(sshKeygenFind('other.example.com', appFile).lines).toEqual([line('other.example.com', keys.other)]);
    expect(sshKeygenFind(HOST, appFile).lines).toEqual([line(HOST, keys.old)]);
    expect((await trust.lookup(HOST, 22, keys.old.blob)).verdict).toBe('trusted');
    expect((await trust.lookup(HOST, PORT, keys.ecdsa.blob)).verdict).toBe('trusted');
  });

  it('keeps every key when several hosts are trusted at the same time', async () => {
    // E.g. the user accepts the prompts of two hosts that were connected together.
    const trust = trustStore();
    await Promise.all([
      trust.trust('a.example.com', 22, keys.current.blob, { replace: false }),
      trust.trust('b.example.com', 22, keys.other.blob, { replace: false }),
      trust.trust('c.example.com', 22, keys.ecdsa.blob, { replace: false }),
    ]);
    const fresh = trustStore();
    expect(
      await Promise.all([
        fresh.lookup('a.example.com', 22, keys.current.blob),
        fresh.lookup('b.example.com', 22, keys.other.blob),
        fresh.lookup('c.example.com', 22, keys.ecdsa.blob),
      ]).then((checks) => checks.map((c) => c.verdict)),
    ).toEqual(['trusted', 'trusted', 'trusted']);
  });

  it('reports an unreadable known_hosts file instead of treating it as empty', async () => {
    await mkdir(join(dir.path, 'ssh', 'known_hosts_dir'));
    const trust = trustStore([join(dir.path, 'ssh', 'known_hosts_dir')]);
    await expect(trust.lookup(HOST, PORT, keys.current.blob)).rejects.toMatchObject({ code: 'KNOWN_HOSTS_UNREADABLE' });
  });
});

