import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sshUtils } from '../../../../electron/ssh/ssh2';
import { guestPublicKey } from '../../../../electron/wizard/guest-key';
import type { KeyPairText } from '../../../../electron/wizard/guest-key';
import { makeTempDir } from '../../../support/temp-dir';

let dir: { path: string; cleanup(): Promise<void> };
beforeEach(async () => {
  dir = await makeTempDir('firedeck-guest-key-');
});
afterEach(() => dir.cleanup());

const good = (): KeyPairText => sshUtils.generateKeyPairSync('ed25519', { comment: 'firedeck-guest' });
/** What ssh2 makes of a public key that starts with a zero byte: one byte short, refused by ssh2 and OpenSSH. */
function shortened(pair: KeyPairText): KeyPairText {
  const [type, base64, comment] = pair.public.split(' ');
  const blob = Buffer.from(base64!, 'base64');
  const short = Buffer.concat([blob.subarray(0, 15), Buffer.from([0, 0, 0, 31]), blob.subarray(20)]);
  return { private: pair.private, public: `${type} ${short.toString('base64')} ${comment}` };
}
const keyPath = () => join(dir.path, 'guest-keys', 'id_ed25519');

describe('the guest key', () => {
  it('is made once, both halves one ed25519 key, the private half the user’s alone', async () => {
    const first = await guestPublicKey(dir.path);
    expect(await guestPublicKey(dir.path)).toBe(first);
    const parsed = sshUtils.parseKey(readFileSync(keyPath(), 'utf8'));
    expect(parsed).not.toBeInstanceOf(Error);
    expect((parsed as { getPublicSSH(): Buffer }).getPublicSSH().equals((sshUtils.parseKey(first) as { getPublicSSH(): Buffer }).getPublicSSH())).toBe(true);
    expect(statSync(keyPath()).mode & 0o777).toBe(0o600);
  });

  it('takes another pair when the generator makes one ssh would refuse', async () => {
    const pairs = [shortened(good()), good()];
    let made = 0;
    const key = await guestPublicKey(dir.path, () => pairs[made++]!);
    expect(made).toBe(2);
    expect(key).toBe(pairs[1]!.public.trim());
    expect(readFileSync(keyPath(), 'utf8')).toBe(pairs[1]!.private);
  });

  it('makes a new pair in place of a stored one that does not parse, and one pair for calls at once', async () => {
    const broken = shortened(good());
    await mkdir(join(dir.path, 'guest-keys'), { recursive: true });
    writeFileSync(keyPath(), broken.private, { mode: 0o600 });
    writeFileSync(`${keyPath()}.pub`, `${broken.public}\n`);
    let made = 0;
    const keys = await Promise.all([1, 2, 3].map(() => guestPublicKey(dir.path, () => (made++, good()))));
    expect(made).toBe(1);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).not.toBe(broken.public);
    expect(readFileSync(`${keyPath()}.pub`, 'utf8')).toBe(`${keys[0]}\n`);
  });
});
