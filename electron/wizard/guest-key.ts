import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../store/atomic-write.js';
import { sshUtils } from '../ssh/ssh2.js';

/**
 * The SSH key Firedeck puts into the root filesystems it prepares, so the user can log in to
 * guests. Made once per data folder; the private half stays there, readable by the user only.
 */
export async function guestPublicKey(dataDir: string): Promise<string> {
  const path = join(dataDir, 'guest-keys', 'id_ed25519');
  try {
    return (await readFile(`${path}.pub`, 'utf8')).trim();
  } catch {
    const pair = sshUtils.generateKeyPairSync('ed25519', { comment: 'firedeck-guest' });
    await writeFileAtomic(path, pair.private, 0o600);
    await writeFileAtomic(`${path}.pub`, `${pair.public}\n`, 0o644);
    return pair.public.trim();
  }
}
