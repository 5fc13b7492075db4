import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../app-error.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { sshUtils } from '../ssh/ssh2.js';

export interface KeyPairText {
  private: string;
  public: string;
}

export type KeyPairGenerator = () => KeyPairText;

const generateEd25519: KeyPairGenerator = () => sshUtils.generateKeyPairSync('ed25519', { comment: 'firedeck-guest' });

/** The wire form of an ed25519 public key: string "ssh-ed25519" (4 + 11) and the 32-byte key (4 + 32). */
const ED25519_BLOB_BYTES = 51;
const ATTEMPTS = 16;
const making = new Map<string, Promise<string>>();

/**
 * The SSH key Firedeck puts into the root filesystems it prepares, so the user can log in to
 * guests. Made once per data folder; the private half stays there, readable by the user only.
 * A stored pair that does not parse (see `usable`) is made again: it never let anyone in.
 * Concurrent first calls share one making, so the two halves always belong together.
 */
export function guestPublicKey(dataDir: string, generate: KeyPairGenerator = generateEd25519): Promise<string> {
  const path = join(dataDir, 'guest-keys', 'id_ed25519');
  const pending = making.get(path);
  if (pending) return pending;
  const made = readOrMake(path, generate).finally(() => making.delete(path));
  making.set(path, made);
  return made;
}

async function readOrMake(path: string, generate: KeyPairGenerator): Promise<string> {
  const [privateText, publicText] = await Promise.all([readFile(path, 'utf8').catch(() => ''), readFile(`${path}.pub`, 'utf8').catch(() => '')]);
  if (usable({ private: privateText, public: publicText })) return publicText.trim();
  const pair = usablePair(generate);
  await writeFileAtomic(path, pair.private, 0o600);
  await writeFileAtomic(`${path}.pub`, `${pair.public.trim()}\n`, 0o644);
  return pair.public.trim();
}

/**
 * ssh2's generateKeyPairSync('ed25519') strips leading zero bytes from the public key
 * (mscdex/ssh2#1390, #1513): about one pair in 256 (17 of 3000 measured) is refused by ssh2 and
 * OpenSSH alike. A pair is kept only when both halves parse, as one ed25519 key.
 */
function usablePair(generate: KeyPairGenerator): KeyPairText {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const pair = generate();
    if (usable(pair)) return pair;
  }
  throw new AppError('INTERNAL', `Firedeck could not make a usable guest key in ${ATTEMPTS} attempts.`, { remedy: 'Try again; if it keeps failing, report it with Copy diagnostics.' });
}

function usable(pair: KeyPairText): boolean {
  if (!pair.private || !pair.public) return false;
  const publicKey = sshUtils.parseKey(pair.public);
  const privateKey = sshUtils.parseKey(pair.private);
  if (publicKey instanceof Error || privateKey instanceof Error || Array.isArray(publicKey) || Array.isArray(privateKey)) return false;
  const blob = publicKey.getPublicSSH();
  return publicKey.type === 'ssh-ed25519' && blob.length === ED25519_BLOB_BYTES && blob.equals(privateKey.getPublicSSH());
}
