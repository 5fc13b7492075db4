import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSecretStore, createSecretsFile } from '../../../../electron/secrets/secret-store';
import type { SecretCipher } from '../../../../electron/secrets/secret-store';
import { makeTempDir } from '../../../support/temp-dir';

const PREFIX = 'FAKE-OS-CIPHER:';

/** Stands in for Electron's safeStorage: reversible, keyed, and visibly not the plaintext. */
function fakeCipher(key = 0x5a): SecretCipher & { calls: { encrypt: number; decrypt: number } } {
  const calls = { encrypt: 0, decrypt: 0 };
  const xor = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ key));
  return {
    calls,
    encrypt(plain) {
      calls.encrypt += 1;
      return Buffer.concat([Buffer.from(PREFIX), xor(Buffer.from(plain, 'utf8').reverse())]);
    },
    decrypt(encrypted) {
      calls.decrypt += 1;
      if (!encrypted.subarray(0, PREFIX.length).equals(Buffer.from(PREFIX))) throw new Error('not encrypted by this cipher');
      return xor(encrypted.subarray(PREFIX.length)).reverse().toString('utf8');
    },
  };
}

/** A cipher whose OS key is gone: encrypting works, decrypting what was stored does not. */
const brokenCipher: SecretCipher = {
  encrypt: (plain) => Buffer.from(plain),
  decrypt: () => {
    throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
  },
};

const SECRET = 'hunter2 pässwörd ✓';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir('firedeck-secrets-');
});
afterEach(() => dir.cleanup());

/** The store as createCore builds it: with the OS cipher and secrets.json, or (browser mode) neither. */
const open = (cipher?: SecretCipher) => createSecretStore(cipher ? { cipher, file: createSecretsFile(dir.path) } : {});

const secretsFile = () => join(dir.path, 'secrets.json');
const readSecretsFile = () => readFile(secretsFile(), 'utf8');

describe('createSecretStore without an OS cipher (browser mode)', () => {
  it('cannot remember, keeps secrets for the session only, and writes nothing', async () => {
    const store = await open();
    expect(store.canRemember).toBe(false);

    await store.set('host-1', SECRET, true);
    expect(await store.get('host-1')).toBe(SECRET);
    expect(store.isRemembered('host-1')).toBe(false);
    expect(await readdir(dir.path)).toEqual([]);

    const next = await open();
    expect(await next.get('host-1')).toBeUndefined();
  });

  it('forgets a session secret', async () => {
    const store = await open();
    await store.set('host-1', SECRET, false);
    await store.forget('host-1');
    expect(await store.get('host-1')).toBeUndefined();
    expect(await readdir(dir.path)).toEqual([]);
  });
});

describe('createSecretStore with an OS cipher', () => {
  it('can remember', async () => {
    expect((await open(fakeCipher())).canRemember).toBe(true);
  });

  it('keeps a remembered secret across a restart, encrypted on disk and private to the user', async () => {
    const first = await open(fakeCipher());
    await first.set('host-1', SECRET, true);
    expect(first.isRemembered('host-1')).toBe(true);

    const onDisk = await readSecretsFile();
    expect(onDisk).not.toContain(SECRET);
    expect(onDisk).not.toContain('hunter2');
    expect(onDisk).not.toContain(Buffer.from(SECRET).toString('base64'));
    expect(onDisk).not.toContain(Buffer.from('hunter2').toString('base64').slice(0, 8));
    // What is stored is what the cipher produced.
    const stored = (JSON.parse(onDisk) as { data: Record<string, string> }).data['host-1'];
    expect(Buffer.from(stored ?? '', 'base64').subarray(0, PREFIX.length).toString()).toBe(PREFIX);
    expect((await stat(secretsFile())).mode & 0o777).toBe(0o600);

    const cipher = fakeCipher();
    const second = await open(cipher);
    expect(second.isRemembered('host-1')).toBe(true);
    expect(await second.get('host-1')).toBe(SECRET);
    expect(cipher.calls.decrypt).toBe(1);
    // Decrypted once, then served from memory.
    expect(await second.get('host-1')).toBe(SECRET);
    expect(cipher.calls.decrypt).toBe(1);
  });

  it('does not write a secret the user did not ask to remember', async () => {
    const cipher = fakeCipher();
    const store = await open(cipher);
    await store.set('host-1', SECRET, false);
    expect(await store.get('host-1')).toBe(SECRET);
    expect(store.isRemembered('host-1')).toBe(false);
    expect(cipher.calls.encrypt).toBe(0);
    expect(await readdir(dir.path)).toEqual([]);

    const next = await open(fakeCipher());
    expect(await next.get('host-1')).toBeUndefined();
  });

  it('keeps secrets of different hosts apart', async () => {
    const store = await open(fakeCipher());
    await store.set('host-1', 'one', true);
    await store.set('host-2', 'two', true);
    const next = await open(fakeCipher());
    expect(await next.get('host-1')).toBe('one');
    expect(await next.get('host-2')).toBe('two');
    expect(await next.get('host-3')).toBeUndefined();
  });

  it('forget removes the secret from memory and from disk, and keeps the others', async () => {
    const store = await open(fakeCipher());
    await store.set('host-1', SECRET, true);
    await store.set('host-2', 'other', true);
    const encryptedHost1 = (JSON.parse(await readSecretsFile()) as { data: Record<string, string> }).data['host-1'];
    expect(encryptedHost1).toBeTruthy();

    await store.forget('host-1');
    expect(await store.get('host-1')).toBeUndefined();
    expect(store.isRemembered('host-1')).toBe(false);
    const onDisk = await readSecretsFile();
    expect(onDisk).not.toContain('host-1');
    expect(onDisk).not.toContain(encryptedHost1 ?? '<none>');

    const next = await open(fakeCipher());
    expect(await next.get('host-1')).toBeUndefined();
    expect(next.isRemembered('host-1')).toBe(false);
    expect(await next.get('host-2')).toBe('other');
  });

  it('replaces a remembered secret when a new one is remembered', async () => {
    const store = await open(fakeCipher());
    await store.set('host-1', 'old-password', true);
    await store.set('host-1', 'new-password', true);
    const next = await open(fakeCipher());
    expect(await next.get('host-1')).toBe('new-password');
  });

  it('returns undefined when the stored secret cannot be decrypted, so the user is asked again', async () => {
    const first = await open(fakeCipher());
    await first.set('host-1', SECRET, true);

    const afterKeyChange = await open(brokenCipher);
    expect(await afterKeyChange.get('host-1')).toBeUndefined();

    // Entering it again works and is remembered again.
    const fresh = await open(fakeCipher());
    await fresh.set('host-1', 'again', true);
    expect(await (await open(fakeCipher())).get('host-1')).toBe('again');
  });

  it('keeps every secret when several are remembered at the same time', async () => {
    const store = await open(fakeCipher());
    // E.g. the user connects to several hosts at once and ticks "remember" for each.
    await Promise.all([store.set('host-1', 'one', true), store.set('host-2', 'two', true), store.set('host-3', 'three', true)]);
    expect(['host-1', 'host-2', 'host-3'].map((id) => store.isRemembered(id))).toEqual([true, true, true]);
    const next = await open(fakeCipher());
    expect(await Promise.all(['host-1', 'host-2', 'host-3'].map((id) => next.get(id)))).toEqual(['one', 'two', 'three']);
  });

  it('does not bring back a secret forgotten while another one was being remembered', async () => {
    const store = await open(fakeCipher());
    await store.set('host-1', 'one', true);
    await Promise.all([store.forget('host-1'), store.set('host-2', 'two', true)]);
    const next = await open(fakeCipher());
    expect(await next.get('host-1')).toBeUndefined();
    expect(await next.get('host-2')).toBe('two');
  });

  it('forgetting an unknown id writes nothing', async () => {
    const store = await open(fakeCipher());
    await store.forget('nobody');
    expect(await readdir(dir.path)).toEqual([]);
  });
});
