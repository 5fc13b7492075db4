import { access, readFile } from 'node:fs/promises';
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
  const key = failure ? undefined : Array.isArray(parsed) ? parsed[0] : parsed;
  if (key && !key.isPrivateKey()) throw await publicKeyChosen(path);
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

/** The user picked `id_ed25519.pub`: say so, and name the private key beside it when there is one. */
async function publicKeyChosen(path: string): Promise<AppError> {
  const beside = path.endsWith('.pub') ? path.slice(0, -'.pub'.length) : undefined;
  const privateBeside = beside !== undefined && (await access(beside).then(() => true, () => false));
  return new AppError('KEY_INVALID', `${path} is a public key; Firedeck needs the private key to log in.`, {
    remedy: privateBeside
      ? `Choose ${beside} instead: it is the private key beside it.`
      : 'Choose the private key: the file of the same name without .pub (for example ~/.ssh/id_ed25519).',
  });
}
