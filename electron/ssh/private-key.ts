import { readFile } from 'node:fs/promises';
import { AppError } from '../app-error.js';
import { sshUtils } from './ssh2.js';

/**
 * Reads and checks a private key before any connection is tried, so that an unreadable file,
 * a missing or wrong passphrase and a file that is no key each get their own message.
 */
export async function loadPrivateKey(path: string, passphrase?: string): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('KEY_UNREADABLE', code === 'ENOENT' ? `The key file ${path} does not exist.` : `Firedeck could not read the key file ${path} (${code ?? 'read error'}).`, {
      remedy: code === 'ENOENT' ? 'Choose the private key file again (for example ~/.ssh/id_ed25519).' : 'Check that the file is readable by your user.',
      cause: error,
    });
  }
  const parsed = sshUtils.parseKey(data, passphrase);
  const failure = parsed instanceof Error ? parsed : Array.isArray(parsed) && parsed.length === 0 ? new Error('no key') : null;
  if (!failure) return data;
  if (/no passphrase given/i.test(failure.message)) {
    throw new AppError('KEY_PASSPHRASE_REQUIRED', `The key ${path} is protected by a passphrase.`, {
      remedy: 'Enter the passphrase to connect.',
    });
  }
  if (passphrase !== undefined && /passphrase|decrypt|integrity/i.test(failure.message)) {
    throw new AppError('KEY_PASSPHRASE_WRONG', `The passphrase for ${path} is not correct.`, {
      remedy: 'Enter the passphrase again; it is the one you chose when the key was created.',
    });
  }
  throw new AppError('KEY_INVALID', `${path} is not a private key Firedeck can use.`, {
    remedy: 'Choose the private key (for example ~/.ssh/id_ed25519), not its .pub file.',
  });
}
