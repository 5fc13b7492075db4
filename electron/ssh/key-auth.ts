import type { AnyAuthMethod, AuthHandlerMiddleware, ParsedKey } from 'ssh2';
import { sshUtils } from './ssh2.js';

/**
 * Public-key authentication that also works where sshd takes only some RSA signatures.
 *
 * ssh2 (1.17) signs with an RSA key as rsa-sha2-256 whenever the server's server-sig-algs
 * names it, and tries no other algorithm when that one is refused. OpenSSH's server-sig-algs
 * lists every signature algorithm sshd knows, not the ones PubkeyAcceptedAlgorithms lets in,
 * so an sshd that accepts only rsa-sha2-512 refused every RSA key. OpenSSH's client offers
 * rsa-sha2-512, then rsa-sha2-256: so does Firedeck, then leaves the key to ssh2 as it is
 * (ssh-rsa for an old server without SHA-2). Each refusal costs one round trip and no
 * signature: the first request of each algorithm only asks whether the server would take it.
 */
export function keyAuthHandler(username: string, privateKey: Buffer, passphrase?: string): AuthHandlerMiddleware {
  const parsed = sshUtils.parseKey(privateKey, passphrase);
  const key = (Array.isArray(parsed) ? parsed[0] : parsed) as ParsedKey;
  const keys = key.type === 'ssh-rsa' ? [rsaSignedWith(key, 'rsa-sha2-512', 'sha512'), rsaSignedWith(key, 'rsa-sha2-256', 'sha256'), key] : [key];
  const attempts: AnyAuthMethod[] = [{ type: 'none', username }, ...keys.map((k): AnyAuthMethod => ({ type: 'publickey', username, key: k }))];
  return (methodsLeft, _partialSuccess, next) => {
    const attempt = attempts.shift();
    // `false` tells ssh2 that every method failed; the types do not declare it.
    if (!attempt || (attempt.type !== 'none' && methodsLeft && !methodsLeft.includes(attempt.type))) return next(false as never);
    next(attempt);
  };
}

/**
 * The same RSA key, presented as `algorithm`: ssh2 then sends that name (it picks an
 * algorithm only for keys whose type is `ssh-rsa`) and signs with `hash`. The public blob and
 * the private key are the original's.
 */
function rsaSignedWith(key: ParsedKey, algorithm: string, hash: string): ParsedKey {
  return Object.create(key, {
    type: { value: algorithm },
    sign: { value: (data: Buffer | string) => key.sign(data, hash) },
  }) as ParsedKey;
}
