import { z } from 'zod';
import { createJsonStore } from '../store/json-store.js';
import type { JsonStore } from '../store/json-store.js';

/** Encrypts with a key the OS keeps (Electron's safeStorage: Keychain on macOS). */
export interface SecretCipher {
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

/**
 * Passwords and key passphrases. They live in memory for the session (reconnects need them);
 * one is written to disk only when the user asks to remember it and an OS cipher is available,
 * and then only encrypted. Browser mode has no cipher, so it never remembers.
 */
export interface SecretStore {
  readonly canRemember: boolean;
  get(id: string): Promise<string | undefined>;
  set(id: string, secret: string, remember: boolean): Promise<void>;
  forget(id: string): Promise<void>;
  isRemembered(id: string): boolean;
}

const storedSchema = z.record(z.string(), z.string());
type Remembered = Record<string, string>;

/** secrets.json: the remembered secrets, each encrypted by the OS cipher (base64). */
export function createSecretsFile(dataDir: string): JsonStore<Remembered> {
  return createJsonStore({
    dir: dataDir,
    name: 'secrets.json',
    schemaVersion: 1,
    schema: storedSchema,
    defaults: () => ({}),
    recovery: {
      what: 'Your remembered passwords',
      consequence: 'forgot them',
      remedy: 'Firedeck asks for each password or passphrase again when it connects; tick “Remember it” to keep it.',
    },
  });
}

/** Remembering needs both an OS cipher and the file; without a cipher (browser mode) nothing is kept. */
export type SecretStoreOptions = { cipher: SecretCipher; file: JsonStore<Remembered> } | { cipher?: undefined; file?: undefined };

export async function createSecretStore(options: SecretStoreOptions): Promise<SecretStore> {
  const { cipher, file } = options;
  const session = new Map<string, string>();
  if (file) await file.load();
  const remembered = (): Remembered => (file ? file.current() : {});

  /** Applies `change` to the remembered secrets as they are when its turn comes. */
  const persist = async (change: (current: Remembered) => Remembered) => {
    await file?.update((current) => ({ next: change(current), result: undefined }));
  };

  return {
    canRemember: cipher !== undefined,
    async get(id) {
      const inMemory = session.get(id);
      const stored = remembered()[id];
      if (inMemory !== undefined || !cipher || !stored) return inMemory;
      try {
        const secret = cipher.decrypt(Buffer.from(stored, 'base64'));
        session.set(id, secret);
        return secret;
      } catch {
        return undefined; // e.g. the OS key changed; the user is asked again
      }
    },
    async set(id, secret, remember) {
      session.set(id, secret);
      if (remember && cipher) {
        const encrypted = cipher.encrypt(secret).toString('base64');
        await persist((current) => ({ ...current, [id]: encrypted }));
      }
    },
    async forget(id) {
      session.delete(id);
      if (file) {
        await persist((current) => {
          if (!(id in current)) return current;
          const { [id]: _dropped, ...rest } = current;
          return rest;
        });
      }
    },
    isRemembered: (id) => id in remembered(),
  };
}
