/**
 * What the log must never hold, and how it is kept out: values known to be secret this session
 * (passwords, passphrases, sudo passwords, tokens typed or given to Firedeck), private key blocks,
 * and anything written as `password=…`, `token: …` and the like.
 */
export interface Redactor {
  /** A value to blank wherever it appears (values shorter than 4 characters are not taken: they would blank ordinary words). */
  addSecret(value: string): void;
  text(text: string): string;
  /** A plain-data copy of `value` with secret-named fields blanked and every string redacted. */
  value(value: unknown): unknown;
}

const MAX_SECRETS = 256;
const MASK = '[redacted]';

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
const OPENSSH_BLOB = /b3BlbnNzaC1rZXktdjEA[A-Za-z0-9+/=\s]*/g; // base64 of "openssh-key-v1\0"
const NAMED = /\b(password|passwd|passphrase|sudo[_-]?password|secret|token|private[_-]?key|authorization|api[_-]?key)(["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"'}]+)/gi;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

/** Field names whose values are secret whatever they hold. */
export const SECRET_FIELD = /pass(word|phrase)?|secret|token|private.?key|key.?material|authorization|credential/i;

export function createRedactor(): Redactor {
  const secrets: string[] = [];
  const redactor: Redactor = {
    addSecret(value) {
      if (typeof value !== 'string' || value.length < 4 || secrets.includes(value)) return;
      secrets.push(value);
      if (secrets.length > MAX_SECRETS) secrets.shift();
      // Longest first, so a secret that contains another is blanked whole.
      secrets.sort((a, b) => b.length - a.length);
    },
    text(text) {
      let out = text;
      for (const secret of secrets) out = out.split(secret).join(MASK);
      return out
        .replace(PRIVATE_KEY, '[private key redacted]')
        .replace(OPENSSH_BLOB, '[private key redacted]')
        .replace(BEARER, `$1 ${MASK}`)
        .replace(NAMED, (_m, name: string, sep: string) => `${name}${sep}${MASK}`);
    },
    value(value) {
      return copy(value, 0);
    },
  };
  function copy(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return redactor.text(value);
    if (typeof value !== 'object' || value === null) return value;
    if (depth > 4) return '[…]';
    if (Array.isArray(value)) return value.slice(0, 50).map((v) => copy(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>).slice(0, 50)) {
      out[key] = SECRET_FIELD.test(key) ? MASK : copy(v, depth + 1);
    }
    return out;
  }
  return redactor;
}

/**
 * Takes the secret values out of a request's input before anything is logged about it: fields
 * named like secrets (`secret`, `password`, `passphrase`, `sudoPassword`, `token`), at any depth
 * up to four.
 */
export function collectSecrets(input: unknown, into: Redactor, depth = 0): void {
  if (typeof input !== 'object' || input === null || depth > 4) return;
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (typeof value === 'string' && (SECRET_FIELD.test(key) || key === 'secret')) into.addSecret(value);
    else collectSecrets(value, into, depth + 1);
  }
}
