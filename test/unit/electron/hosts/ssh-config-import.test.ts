import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostsFromSshConfig, readSshConfigHosts } from '../../../../electron/hosts/ssh-config-import';
import { makeTempDir } from '../../../support/temp-dir';

const HOME = '/home/alice';

describe('hostsFromSshConfig', () => {
  it('lists each alias with its HostName, User, Port, IdentityFile and ProxyJump', () => {
    const text = `
# Work servers
Host build
  HostName build.example.com
  User ci
  Port 2222
  IdentityFile ~/.ssh/id_build
  ProxyJump ops@gateway.example.com:2200

Host plain
  HostName 192.0.2.10
`;
    expect(hostsFromSshConfig(text, HOME)).toEqual([
      {
        alias: 'build',
        address: 'build.example.com',
        port: 2222,
        user: 'ci',
        identityFile: '/home/alice/.ssh/id_build',
        proxyJump: 'ops@gateway.example.com:2200',
      },
      { alias: 'plain', address: '192.0.2.10' },
    ]);
  });

  it('uses the alias itself as the address when there is no HostName', () => {
    expect(hostsFromSshConfig('Host devbox\n  User me\n', HOME)).toEqual([{ alias: 'devbox', address: 'devbox', user: 'me' }]);
  });

  it('applies Host * defaults, with the first value winning as in ssh', () => {
    const text = `
Host web
  User deploy

Host *
  User fallback
  Port 2022
  IdentityFile ~/.ssh/id_default
`;
    expect(hostsFromSshConfig(text, HOME)).toEqual([
      { alias: 'web', address: 'web', user: 'deploy', port: 2022, identityFile: '/home/alice/.ssh/id_default' },
    ]);

    // A Host * block at the top wins over later, more specific blocks, exactly as ssh reads it.
    const topDefaults = `Host *\n  User early\nHost web\n  User late\n  HostName web.example.com\n`;
    expect(hostsFromSshConfig(topDefaults, HOME)).toEqual([{ alias: 'web', address: 'web.example.com', user: 'early' }]);
  });

  it('does not list wildcard or negated patterns as hosts', () => {
    const text = `
Host *.example.com
  User wild
Host db? !db9 cache
  HostName cache.internal
Host !secret
  User nobody
Host *
  ServerAliveInterval 30
`;
    expect(hostsFromSshConfig(text, HOME).map((h) => h.alias)).toEqual(['cache']);
  });

  it('lists every alias of a multi-alias Host line with the shared settings', () => {
    const text = `Host alpha beta\n  HostName shared.example.com\n  User team\n`;
    expect(hostsFromSshConfig(text, HOME)).toEqual([
      { alias: 'alpha', address: 'shared.example.com', user: 'team' },
      { alias: 'beta', address: 'shared.example.com', user: 'team' },
    ]);
  });

  it('lists an alias that appears in several Host lines once, resolved from all of them', () => {
    const text = `Host app\n  HostName app.example.com\nHost app other\n  User ops\n  HostName ignored.example.com\n`;
    expect(hostsFromSshConfig(text, HOME)).toEqual([
      { alias: 'app', address: 'app.example.com', user: 'ops' },
      { alias: 'other', address: 'ignored.example.com', user: 'ops' },
    ]);
  });

  it('spells out a ProxyJump that names another alias as user@host:port', () => {
    const text = `
Host bastion
  HostName bastion.example.com
  User jumper
  Port 2222

Host inner
  HostName 10.0.0.5
  ProxyJump bastion
`;
    const inner = hostsFromSshConfig(text, HOME).find((h) => h.alias === 'inner');
    expect(inner).toEqual({ alias: 'inner', address: '10.0.0.5', proxyJump: 'jumper@bastion.example.com:2222' });
  });

  it('leaves out the default port and a missing user when spelling out a jump alias', () => {
    const text = `Host gw\n  HostName gw.example.com\n  Port 22\nHost target\n  ProxyJump gw\n`;
    expect(hostsFromSshConfig(text, HOME).find((h) => h.alias === 'target')?.proxyJump).toBe('gw.example.com');
  });

  it('keeps a ProxyJump that is not an alias as written', () => {
    const text = `Host target\n  ProxyJump admin@jump.example.net\n`;
    expect(hostsFromSshConfig(text, HOME)).toEqual([{ alias: 'target', address: 'target', proxyJump: 'admin@jump.example.net' }]);
  });

  it.each(['none', 'NONE'])('drops ProxyJump %s', (none) => {
    const text = `Host direct\n  HostName direct.example.com\n  ProxyJump ${none}\nHost *\n  ProxyJump default-jump.example.com\n`;
    expect(hostsFromSshConfig(text, HOME)).toEqual([{ alias: 'direct', address: 'direct.example.com' }]);
  });

  it('expands ~ to the given home only at the start of IdentityFile', () => {
    const pick = (file: string) => hostsFromSshConfig(`Host h\n  IdentityFile ${file}\n`, HOME)[0]?.identityFile;
    expect(pick('~/.ssh/id_ed25519')).toBe('/home/alice/.ssh/id_ed25519');
    expect(pick('/etc/ssh/keys/id_rsa')).toBe('/etc/ssh/keys/id_rsa');
    expect(pick('~bob/.ssh/id')).toBe('~bob/.ssh/id');
    expect(pick('"~/.ssh/my key"')).toBe('/home/alice/.ssh/my key');
  });

  it('takes the first of several IdentityFile lines', () => {
    const text = `Host h\n  IdentityFile ~/.ssh/first\n  IdentityFile ~/.ssh/second\n`;
    expect(hostsFromSshConfig(text, HOME)[0]?.identityFile).toBe('/home/alice/.ssh/first');
  });

  it('omits a Port that is not a positive number', () => {
    expect(hostsFromSshConfig(`Host h\n  Port abc\n`, HOME)[0]).toEqual({ alias: 'h', address: 'h' });
  });

  it.each([
    ['empty text', ''],
    ['only comments and blank lines', '# nothing here\n\n   \n'],
    ['only defaults', 'Host *\n  User me\n'],
  ])('returns [] for %s', (_what, text) => {
    expect(hostsFromSshConfig(text, HOME)).toEqual([]);
  });

  // OpenSSH keywords are case-insensitive, and many configs are written in lower case.
  it('reads keywords regardless of their case, as ssh does', () => {
    const text = `
Host web
  hostname 10.0.0.5
  user deploy
  port 2200
  identityfile ~/.ssh/id_web
  proxyjump admin@jump.example.net

Host *
  User fallback
`;
    expect(hostsFromSshConfig(text, HOME)).toEqual([
      {
        alias: 'web',
        address: '10.0.0.5',
        port: 2200,
        user: 'deploy',
        identityFile: '/home/alice/.ssh/id_web',
        proxyJump: 'admin@jump.example.net',
      },
    ]);
  });
});

describe('importing does not run commands from the config', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    dir = await makeTempDir('firedeck-sshcfg-');
  });
  afterEach(() => dir.cleanup());

  it('does not execute Match exec while listing hosts', () => {
    const marker = join(dir.path, 'match-exec-ran');
    const text = `Match exec "touch ${marker}"\n  User matched\nHost web\n  HostName web.example.com\n`;
    expect(hostsFromSshConfig(text, HOME).map((h) => h.alias)).toEqual(['web']);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('readSshConfigHosts', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>;
  beforeEach(async () => {
    dir = await makeTempDir('firedeck-sshcfg-');
  });
  afterEach(() => dir.cleanup());

  it('reads the hosts from a config file', async () => {
    const path = join(dir.path, 'config');
    await writeFile(path, 'Host box\n  HostName box.example.com\n  IdentityFile ~/.ssh/box\n');
    expect(await readSshConfigHosts(path, '/home/z')).toEqual([
      { alias: 'box', address: 'box.example.com', identityFile: '/home/z/.ssh/box' },
    ]);
  });

  it('returns [] when there is no config file', async () => {
    expect(await readSshConfigHosts(join(dir.path, 'missing'), HOME)).toEqual([]);
  });

  it('reports an unreadable config instead of pretending it is empty', async () => {
    // A directory where the file should be fails with EISDIR, which is not "no config".
    await expect(readSshConfigHosts(dir.path, HOME)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
