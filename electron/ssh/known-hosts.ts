import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** One entry of a host field. `port` null is a plain pattern, which OpenSSH only ever compares with port-22 names. */
export interface HostPattern {
  negated: boolean;
  /** Lowercased host part; may contain the wildcards `*` and `?`. */
  pattern: string;
  port: number | null;
}

export interface KnownHostEntry {
  marker: 'revoked' | null;
  /** Null for hashed entries. */
  patterns: HostPattern[] | null;
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  /** SSH wire-format public key blob. */
  key: Buffer;
  /** 1-based line number in the parsed text. */
  line: number;
  comment?: string;
}

/** What known_hosts entries say about a host's key. */
export type HostKeyVerdict = 'trusted' | 'changed' | 'unknown' | 'revoked';

const DEFAULT_PORT = 22;
const HASH_MAGIC = '|1|';
const SHA1_LENGTH = 20;

/** Parses an OpenSSH known_hosts file. Lines it cannot use are skipped, because one bad line must not lock the user out of every host. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const entry = parseLine(raw, index + 1);
    if (entry) entries.push(entry);
  });
  return entries;
}

function parseLine(raw: string, line: number): KnownHostEntry | null {
  let rest = raw.trim();
  if (rest === '' || rest.startsWith('#')) return null;

  let marker: 'revoked' | null = null;
  if (rest.startsWith('@')) {
    const [word = '', after = ''] = splitField(rest);
    // CA lines trust certificates, which this client does not verify; unknown markers are errors in OpenSSH too.
    if (word !== '@revoked') return null;
    marker = 'revoked';
    rest = after;
  }

  const [hostField = '', afterHost = ''] = splitField(rest);
  const [keyType = '', afterType = ''] = splitField(afterHost);
  const [base64 = '', comment = ''] = splitField(afterType);
  if (hostField === '' || keyType === '' || base64 === '') return null;

  const key = decodeBase64Strict(base64);
  // A blob whose embedded type disagrees with the type field is corrupt (or an old RSA1 line): never trust it.
  if (!key || !isWellFormedBlob(key) || readKeyType(key) !== keyType) return null;

  let patterns: HostPattern[] | null = null;
  let hashed: KnownHostEntry['hashed'] = null;
  if (hostField.startsWith(HASH_MAGIC)) {
    hashed = parseHashed(hostField);
    if (!hashed) return null;
  } else {
    patterns = hostField.split(',').filter((p) => p !== '').map(parsePattern);
    if (patterns.length === 0) return null;
  }

  const entry: KnownHostEntry = { marker, patterns, hashed, keyType, key, line };
  if (comment !== '') entry.comment = comment;
  return entry;
}

function splitField(text: string): [string, string] {
  const match = /^(\S+)\s*(.*)$/s.exec(text);
  return match ? [match[1] ?? '', (match[2] ?? '').trim()] : ['', ''];
}

/** Buffer.from(…, 'base64') silently drops junk, which would let a damaged line decode to some other key. */
function decodeBase64Strict(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** Every plain public key type is a run of length-prefixed fields (type, then key material); truncation breaks that. */
function isWellFormedBlob(key: Buffer): boolean {
  let offset = 0;
  let fields = 0;
  while (offset < key.length) {
    if (key.length - offset < 4) return false;
    offset += 4 + key.readUInt32BE(offset);
    fields++;
  }
  return offset === key.length && fields >= 2;
}

function parseHashed(field: string): { salt: Buffer; hash: Buffer } | null {
  const parts = field.slice(HASH_MAGIC.length).split('|');
  if (parts.length !== 2) return null;
  const salt = decodeBase64Strict(parts[0] ?? '');
  const hash = decodeBase64Strict(parts[1] ?? '');
  // OpenSSH rejects hashes whose salt or digest is not SHA-1 sized.
  if (!salt || !hash || salt.length !== SHA1_LENGTH || hash.length !== SHA1_LENGTH) return null;
  return { salt, hash };
}

function parsePattern(text: string): HostPattern {
  const negated = text.startsWith('!');
  const body = (negated ? text.slice(1) : text).toLowerCase();
  const bracketed = /^\[(.+)\]:(\d{1,5})$/.exec(body);
  if (bracketed) return { negated, pattern: bracketed[1] ?? '', port: Number(bracketed[2]) };
  return { negated, pattern: body, port: null };
}

/**
 * Classifies the key a server presented, the way OpenSSH's check_host_key does. A revoked key is refused for
 * every host, since revocation lists are usually written with a catch-all host field.
 */
export function lookupHostKey(entries: KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyVerdict {
  if (entries.some((e) => e.marker === 'revoked' && e.key.equals(key))) return 'revoked';

  const type = keyTypeOf(key);
  const name = hostName(host, port);
  let sameTypeSeen = false;
  for (const entry of entries) {
    if (entry.marker !== null || !entryMatches(entry, name, host.toLowerCase(), port)) continue;
    if (entry.key.equals(key)) return 'trusted';
    if (entry.keyType === type) sameTypeSeen = true;
  }
  // A known host offering a key of a type we have never stored is new, not an impostor: OpenSSH offers to add it.
  return sameTypeSeen ? 'changed' : 'unknown';
}

/** The name OpenSSH stores and hashes: bare for the default port, `[host]:port` otherwise. */
function hostName(host: string, port: number): string {
  const lower = host.toLowerCase();
  return port === DEFAULT_PORT ? lower : `[${lower}]:${port}`;
}

function entryMatches(entry: KnownHostEntry, name: string, host: string, port: number): boolean {
  if (entry.hashed) {
    const digest = createHmac('sha1', entry.hashed.salt).update(name).digest();
    return timingSafeEqual(digest, entry.hashed.hash);
  }
  let positive = false;
  for (const p of entry.patterns ?? []) {
    // `[host]:22` never matches: OpenSSH never writes or looks up the default port in brackets.
    const portMatches = p.port === null ? port === DEFAULT_PORT : port !== DEFAULT_PORT && p.port === port;
    if (!portMatches || !globMatch(p.pattern, host)) continue;
    if (p.negated) return false;
    positive = true;
  }
  return positive;
}

/** `*` and `?` glob without regex, so a pathological pattern cannot blow up matching time. */
function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc === '?' || (pc !== undefined && pc !== '*' && pc === text[t])) {
      p++;
      t++;
    } else if (pc === '*') {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Key type named inside a wire-format blob (e.g. `ssh-ed25519`). Throws on a blob too short to hold one. */
export function keyTypeOf(key: Buffer): string {
  const type = readKeyType(key);
  if (type === null) throw new Error('Malformed SSH public key blob');
  return type;
}

function readKeyType(key: Buffer): string | null {
  if (key.length < 4) return null;
  const length = key.readUInt32BE(0);
  if (length === 0 || length > 256 || key.length < 4 + length) return null;
  return key.subarray(4, 4 + length).toString('latin1');
}

/** Same token `ssh-keygen -lf` prints, so users can compare it with what the server admin reads out. */
export function fingerprintSha256(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/**
 * A plain known_hosts line for `host`. Host names are validated because they become patterns:
 * a stray `*`, `,` or space would silently trust other hosts or corrupt the file.
 */
export function formatKnownHostsLine(host: string, port: number, key: Buffer): string {
  if (!/^[A-Za-z0-9._:%-]+$/.test(host)) throw new Error(`Cannot record host key for host name ${JSON.stringify(host)}`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`Invalid SSH port ${port}`);
  return `${hostName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}`;
}
