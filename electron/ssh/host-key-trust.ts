import { readFile } from 'node:fs/promises';
import { AppError } from '../app-error.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { createSerialQueue } from '../store/serial-queue.js';
import { fingerprintSha256, formatKnownHostsLine, keyTypeOf, lookupHostKey, parseKnownHosts } from './known-hosts.js';
import type { HostKeyVerdict, KnownHostEntry } from './known-hosts.js';

/** What the known_hosts files say about a key a host presented. */
export interface HostKeyLookup {
  verdict: HostKeyVerdict;
  keyType: string;
  fingerprint: string;
  /** Fingerprints already on record for this host and key type (what a changed key replaced). */
  knownFingerprints: string[];
  /** Which file decided: Firedeck's own, or the user's ~/.ssh/known_hosts. */
  source: 'firedeck' | 'user' | null;
}

/**
 * Host-key trust for every SSH connection. Firedeck reads the user's known_hosts files (never
 * writes them) and keeps its own file of keys the user trusted in the app. Its own file is
 * consulted first, so a key the user explicitly replaced in Firedeck wins over a stale entry in
 * ~/.ssh/known_hosts; a revoked key in either file always blocks.
 */
export interface HostKeyTrust {
  /** Looks the key up; decides nothing and writes nothing. */
  lookup(host: string, port: number, key: Buffer): Promise<HostKeyLookup>;
  /** Records `key` for host:port. Replacing a different key needs `replace`; a revoked key never. */
  trust(host: string, port: number, key: Buffer, options: { replace: boolean }): Promise<void>;
}

export function createHostKeyTrust(options: { userKnownHostsFiles: string[]; appKnownHostsFile: string }): HostKeyTrust {
  const readEntries = async (path: string): Promise<{ text: string; entries: KnownHostEntry[] }> => {
    const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw new AppError('KNOWN_HOSTS_UNREADABLE', `Firedeck could not read the known hosts file ${path}.`, {
        remedy: 'Check that the file is readable by your user.',
        cause: error,
      });
    });
    return { text, entries: parseKnownHosts(text) };
  };
  /** Entries for this host and key type: an entry matches when its own key would be trusted here. */
  const sameTypeFor = (entries: KnownHostEntry[], host: string, port: number, keyType: string) =>
    entries.filter((e) => e.marker === null && e.keyType === keyType && lookupHostKey([e], host, port, e.key) === 'trusted');

  async function lookup(host: string, port: number, key: Buffer): Promise<HostKeyLookup> {
    const keyType = keyTypeOf(key);
    const fingerprint = fingerprintSha256(key);
    const app = (await readEntries(options.appKnownHostsFile)).entries;
    const user = (await Promise.all(options.userKnownHostsFiles.map(readEntries))).flatMap((f) => f.entries);
    const base = { keyType, fingerprint };
    if (lookupHostKey([...app, ...user], host, port, key) === 'revoked') {
      return { ...base, verdict: 'revoked', knownFingerprints: [], source: null };
    }
    for (const [source, entries] of [['firedeck', app], ['user', user]] as const) {
      const verdict = lookupHostKey(entries, host, port, key);
      if (verdict === 'unknown') continue;
      const knownFingerprints = sameTypeFor(entries, host, port, keyType).map((e) => fingerprintSha256(e.key));
      return { ...base, verdict, knownFingerprints: verdict === 'changed' ? knownFingerprints : [], source };
    }
    return { ...base, verdict: 'unknown', knownFingerprints: [], source: null };
  }

  const writes = createSerialQueue();

  return {
    lookup,
    trust: (host, port, key, { replace }) => writes.run(async () => {
      const current = await lookup(host, port, key);
      if (current.verdict === 'trusted') return;
      if (current.verdict === 'revoked') {
        throw new AppError('HOST_KEY_REVOKED', `The key ${current.fingerprint} is marked @revoked in a known_hosts file; Firedeck will not trust it.`, {
          remedy: 'Ask the host’s administrator for its new key. Remove the @revoked line only if you know why it is there.',
        });
      }
      if (current.verdict === 'changed' && !replace) {
        throw new AppError('HOST_KEY_CHANGED', `${host} presents a different key than the one on record.`, {
          remedy: 'Replace the stored key only if you know the host was reinstalled or its key rotated.',
        });
      }
      const { text, entries } = await readEntries(options.appKnownHostsFile);
      const stale = new Set(sameTypeFor(entries, host, port, keyTypeOf(key)).map((e) => e.line));
      const kept = text.split('\n').filter((line, index) => line.trim() !== '' && !stale.has(index + 1));
      await writeFileAtomic(options.appKnownHostsFile, [...kept, formatKnownHostsLine(host, port, key)].join('\n') + '\n');
    }),
  };
}
