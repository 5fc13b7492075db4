import { z } from 'zod';
import { createJsonStore } from '../store/json-store.js';
import { createSerialQueue } from '../store/serial-queue.js';
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

export async function createSecretStore(options: { dataDir: string; cipher?: SecretCipher }): Promise<SecretStore> {
  const { cipher } = options;
  const session = new Map<string, string>();
  const store: JsonStore<Record<string, string>> | undefined = cipher
    ? createJsonStore({ dir: options.dataDir, name: 'secrets.json', schemaVersion: 1, schema: storedSchema, defaults: () => ({}) })
    : undefined;
  let remembered: Record<string, string> = store ? (await store.load()).data : {};
  const changes = createSerialQueue();

  /** Applies `change` to the remembered secrets as they are when its turn comes. */
  const persist = (change: (current: Record<string, string>) => Record<string, string>) =>
    changes.run(async () => {
      const next = change(remembered);
      if (next === remembered) return;
      await store!.save(next);
      remembered = next;
    });

  return {
    canRemember: cipher !== undefined,
    async get(id) {
      const inMemory = session.get(id);
      if (inMemory !== undefined || !cipher || !remembered[id]) return inMemory;
      try {
        const secret = cipher.decrypt(Buffer.from(remembered[id], 'base64'));
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
      if (store) {
        await persist((current) => {
          if (!(id in current)) return current;
          const { [id]: _dropped, ...rest } = current;
          return rest;
        });
      }
    },
    isRemembered: (id) => id in remembered,
  };
}
