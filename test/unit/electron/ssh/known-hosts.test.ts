import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fingerprintSha256,
  formatKnownHostsLine,
  keyTypeOf,
  lookupHostKey,
  parseKnownHosts,
} from '../../../../electron/ssh/known-hosts';

// Real keys from the real ssh-keygen, so the format assumptions are checked against OpenSSH itself.
interface TestKey {
  pubPath: string;
  type: string;
  base64: string;
  blob: Buffer;
}

const KEY_SPECS = {
  ed25519: ['-t', 'ed25519'],
  ed25519Other: ['-t', 'ed25519'],
  ecdsa: ['-t', 'ecdsa'],
  rsa: ['-t', 'rsa', '-b', '2048'],
} as const;
type KeyName = keyof typeof KEY_SPECS;

let dir = '';
const keys = {} as Record<KeyName, TestKey>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'firedeck-known-hosts-'));
  for (const [name, args] of Object.entries(KEY_SPECS) as [KeyName, readonly string[]][]) {
    const path = join(dir, name);
    execFileSync('ssh-keygen', ['-q', ...args, '-N', '', '-C', `${name}@test`, '-f', path]);
    const [type = '', base64 = ''] = readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/);
    keys[name] = { pubPath: `${path}.pub`, type, base64, blob: Buffer.from(base64, 'base64') };
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A known_hosts line for `hosts` with `name`'s key, as a user would write it by hand. */
function line(hosts: string, name: KeyName): string {
  const { type, base64 } = keys[name];
  return `${hosts} ${type} ${base64}`;
}

function lookup(text: string, host: string, port: number, name: KeyName): string {
  return lookupHostKey(parseKnownHosts(text), host, port, keys[name].blob);
}

describe('key helpers', () => {
  it.each(['ed25519', 'ecdsa', 'rsa'] as const)('fingerprints a %s key exactly as ssh-keygen -lf does', (name) => {
    const printed = execFileSync('ssh-keygen', ['-lf', keys[name].pubPath], { encoding: 'utf8' });
    expect(fingerprintSha256(keys[name].blob)).toBe(printed.trim().split(/\s+/)[1]);
  });

  it('reads the key type from the blob', () => {
    expect(keyTypeOf(keys.ed25519.blob)).toBe('ssh-ed25519');
    expect(keyTypeOf(keys.ecdsa.blob)).toBe(keys.ecdsa.type);
    expect(keys.ecdsa.type).toMatch(/^ecdsa-sha2-nistp/);
    expect(keyTypeOf(keys.rsa.blob)).toBe('ssh-rsa');
    expect(() => keyTypeOf(Buffer.from([0, 0, 0, 9, 0x73]))).toThrow();
    expect(() => keyTypeOf(Buffer.alloc(0))).toThrow();
  });
});

describe('host matching', () => {
  it('matches a plain host only on port 22 and a bracketed host only on its port', () => {
    const text = [line('plain.example', 'ed25519'), line('[ported.example]:2222', 'ecdsa')].join('\n');
    expect(lookup(text, 'plain.example', 22, 'ed25519')).toBe('trusted');
    expect(lookup(text, 'plain.example', 2222, 'ed25519')).toBe('unknown');
    expect(lookup(text, 'ported.example', 2222, 'ecdsa')).toBe('trusted');
    expect(lookup(text, 'ported.example', 22, 'ecdsa')).toBe('unknown');
    expect(lookup(text, 'ported.example', 2223, 'ecdsa')).toBe('unknown');
    expect(lookup(text, 'other.example', 22, 'ed25519')).toBe('unknown');
  });

  it('matches any name in a comma list', () => {
    const text = line('a.example,10.1.2.3,[b.example]:2200', 'ed25519');
    expect(lookup(text, 'a.example', 22, 'ed25519')).toBe('trusted');
    expect(lookup(text, '10.1.2.3', 22, 'ed25519')).toBe('trusted');
    expect(lookup(text, 'b.example', 2200, 'ed25519')).toBe('trusted');
    expect(lookup(text, 'b.example', 22, 'ed25519')).toBe('unknown');
    expect(lookup(text, 'c.example', 22, 'ed25519')).toBe('unknown');
  });

  it('supports * and ? wildcards, also inside brackets', () => {
    const text = [line('*.example.com', 'ed25519'), line('10.0.0.?', 'ecdsa'), line('[vm-*]:2222', 'rsa')].join('\n');
    expect(lookup(text, 'db.example.com', 22, 'ed25519')).toBe('trusted');
    expect(lookup(text, 'a.b.example.com', 22, 'ed25519')).toBe('trusted');
    expect(lookup(text, 'example.com', 22, 'ed25519')).toBe('unknown');
    expect(lookup(text, 'db.example.com', 2222, 'ed25519')).toBe('unknown');
    expect(lookup(text, '10.0.0.7', 22, 'ecdsa')).toBe('trusted');
    expect(lookup(text, '10.0.0.17', 22, 'ecdsa')).toBe('unknown');
    expect(lookup(text, 'vm-42', 2222, 'rsa')).toBe('trusted');
    expect(lookup(text, 'vm-42', 22, 'rsa')).toBe('unknown');
  });

  it('lets a negated pattern veto the whole line', () => {
    const text = line('*.example.com,!bad.example.com', 'ed25519');
    expect(lookup(text, 'good.example.com', 22, 'ed25519')).toBe('trusted');
    expect(lookup(text, 'bad.example.com', 22, 'ed25519')).toBe('unknown');
    expect(lookup(text, 'BAD.example.com', 22, 'ed25519')).toBe('unknown');
    // A line of only negations matches nothing.
    expect(lookup(line('!bad.example.com', 'ed25519'), 'good.example.com', 22, 'ed25519')).toBe('unknown');
  });

  it('compares host names case-insensitively', () => {
    const text = [line('Mixed.Example', 'ed25519'), line('[UPPER.EXAMPLE]:2222', 'ecdsa')].join('\n');
    expect(lookup(text, 'mixed.example', 22, 'ed25519')).toBe('trusted');
    expect(lookup(text, 'MIXED.EXAMPLE', 22, 'ed25519')).toBe('trusted');
    expect(lookup(text, 'upper.example', 2222, 'ecdsa')).toBe('trusted');
  });
});

describe('hashed entries', () => {
  it('matches lines hashed by ssh-keygen -H, including the [host]:port form', () => {
    const file = join(dir, 'known_hosts_hashed');
    writeFileSync(file, `${line('host.example', 'ed25519')}\n${line('[host.example]:2222', 'ecdsa')}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('host.example');

    const entries = parseKnownHosts(text);
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry.patterns).toBeNull();
      expect(entry.hashed?.salt).toHaveLength(20);
      expect(entry.hashed?.hash).toHaveLength(20);
    }

    expect(lookup(text, 'host.example', 22, 'ed25519')).toBe('trusted');
    expect(lookup(text, 'HOST.example', 22, 'ed25519')).toBe('trusted');
    expect(lookup(text, 'host.example', 2222, 'ecdsa')).toBe('trusted');
    expect(lookup(text, 'host.example', 22, 'ed25519Other')).toBe('changed');
    expect(lookup(text, 'host.example', 2222, 'ed25519')).toBe('unknown');
    expect(lookup(text, 'host.example', 2223, 'ecdsa')).toBe('unknown');
    expect(lookup(text, 'other.example', 22, 'ed25519')).toBe('unknown');
  });
});

describe('markers, comments and malformed lines', () => {
  it('reports a revoked key even where it is otherwise trusted, and for any host', () => {
    const text = [line('host.example', 'ed25519'), `@revoked ${line('*', 'ed25519')}`].join('\n');
    expect(lookup(text, 'host.example', 22, 'ed25519')).toBe('revoked');
    expect(lookup(text, 'elsewhere.example', 2222, 'ed25519')).toBe('revoked');
    expect(lookup(text, 'host.example', 22, 'ecdsa')).toBe('unknown');
    expect(parseKnownHosts(text)[1]?.marker).toBe('revoked');
  });

  it('ignores @cert-authority lines', () => {
    const text = `@cert-authority ${line('*.example.com', 'ed25519')}`;
    expect(parseKnownHosts(text)).toEqual([]);
    expect(lookup(text, 'db.example.com', 22, 'ed25519')).toBe('unknown');
  });

  it('skips comments, blank and malformed lines without throwing', () => {
    const { type, base64 } = keys.ed25519;
    const lines = [
      '# a comment',
      '',
      '   \t',
      'only-a-host.example',
      `missing-key.example ${type}`,
      `bad-base64.example ${type} ${base64.slice(0, -4)}!!!!`,
      `truncated.example ${type} ${base64.slice(0, 20)}`,
      `wrong-type.example ssh-rsa ${base64}`,
      `|1|c2FsdA==|aGFzaA== ${type} ${base64}`,
      `|1|onlysalt ${type} ${base64}`,
      `@unknown-marker ${line('marker.example', 'ed25519')}`,
      `@revoked`,
      'rsa1.example 2048 65537 12345678901234567890',
      `${line('good.example', 'ed25519')}  trailing comment here`,
      `\t${line('indented.example', 'ecdsa')}\r`,
    ];
    let entries: ReturnType<typeof parseKnownHosts> = [];
    expect(() => (entries = parseKnownHosts(lines.join('\n')))).not.toThrow();
    expect(entries.map((e) => [e.line, e.patterns?.[0]?.pattern, e.comment])).toEqual([
      [14, 'good.example', 'trailing comment here'],
      [15, 'indented.example', undefined],
    ]);
    expect(lookupHostKey(entries, 'good.example', 22, keys.ed25519.blob)).toBe('trusted');
  });
});

describe('key changes', () => {
  it('reports changed only when a stored key of the same type differs', () => {
    const text = line('host.example', 'ed25519');
    expect(lookup(text, 'host.example', 22, 'ed25519Other')).toBe('changed');
    expect(lookup(text, 'host.example', 22, 'ecdsa')).toBe('unknown');
    expect(lookup(text, 'host.example', 22, 'rsa')).toBe('unknown');
  });

  it('trusts a key that matches any of several lines for the host', () => {
    const text = [line('host.example', 'ed25519'), line('host.example', 'ed25519Other')].join('\n');
    expect(lookup(text, 'host.example', 22, 'ed25519Other')).toBe('trusted');
  });
});

describe('formatKnownHostsLine', () => {
  it.each(['ed25519', 'ecdsa', 'rsa'] as const)('writes a %s line that parses back as trusted', (name) => {
    const key = keys[name].blob;
    expect(formatKnownHostsLine('Host.Example', 22, key)).toBe(`host.example ${keys[name].type} ${keys[name].base64}`);
    const text = formatKnownHostsLine('127.0.0.2', 2222, key);
    expect(text).toBe(`[127.0.0.2]:2222 ${keys[name].type} ${keys[name].base64}`);
    expect(lookupHostKey(parseKnownHosts(text), '127.0.0.2', 2222, key)).toBe('trusted');
    expect(lookupHostKey(parseKnownHosts(text), '127.0.0.2', 22, key)).toBe('unknown');
  });

  it('writes lines that ssh-keygen -F finds', () => {
    const file = join(dir, 'known_hosts_written');
    writeFileSync(file, `${formatKnownHostsLine('127.0.0.2', 2222, keys.ed25519.blob)}\n`);
    const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.2]:2222', '-f', file], { encoding: 'utf8' });
    expect(found).toContain(keys.ed25519.base64);
    // Exit status 1 means "not found": the bare name must not match a non-default port.
    expect(() => execFileSync('ssh-keygen', ['-F', '127.0.0.2', '-f', file], { stdio: 'ignore' })).toThrow();
  });

  it('refuses host names that would become patterns or break the line', () => {
    for (const host of ['', '*.example.com', 'a,b', 'a b', '!host', '|1|x', 'host\nevil', '[host]:22']) {
      expect(() => formatKnownHostsLine(host, 22, keys.ed25519.blob), host).toThrow();
    }
    expect(() => formatKnownHostsLine('host.example', 0, keys.ed25519.blob)).toThrow();
    expect(() => formatKnownHostsLine('host.example', 70000, keys.ed25519.blob)).toThrow();
  });
});
