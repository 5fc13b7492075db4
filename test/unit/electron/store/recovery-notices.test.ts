import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../../electron/core';
import type { Core } from '../../../../electron/core';
import type { SecretCipher } from '../../../../electron/secrets/secret-store';
import type { AppInfo } from '../../../../shared/channels/app';
import { makeTempDir } from '../../../support/temp-dir';

const cipher: SecretCipher = { encrypt: (plain) => Buffer.from(plain).reverse(), decrypt: (data) => Buffer.from(data).reverse().toString() };

let dir: Awaited<ReturnType<typeof makeTempDir>>;
let core: Core | undefined;
beforeEach(async () => {
  dir = await makeTempDir('firedeck-recovery-');
  await mkdir(join(dir.path, 'home', '.ssh'), { recursive: true });
});
afterEach(async () => {
  await core?.close();
  core = undefined;
  await dir.cleanup();
});

async function start(): Promise<AppInfo> {
  core = await createCore({ dataDir: join(dir.path, 'data'), home: join(dir.path, 'home'), mode: 'electron', version: '0.0.0-test', secretCipher: cipher, log: { warn: () => {}, error: () => {} }, vmPollMs: 0 });
  const info = await core.router.handle('app.getInfo', undefined, { ownerId: 'test' });
  if (!info.ok) throw new Error(info.error.message);
  return info.value as AppInfo;
}

describe('a data file that cannot be read', () => {
  it('each one (secrets, hosts, settings) is kept aside and told to the user at start', async () => {
    const data = join(dir.path, 'data');
    await mkdir(data, { recursive: true });
    await writeFile(join(data, 'secrets.json'), '{"schemaVersion": 1, "data": {"host": 42}}');
    await writeFile(join(data, 'hosts.json'), 'not json at all');
    await writeFile(join(data, 'settings.json'), JSON.stringify({ schemaVersion: 99, data: {} }));

    const { notices } = await start();
    const backups = await readdir(data);
    expect(notices.map((n) => n.level)).toEqual(['warning', 'warning', 'warning']);
    const secrets = notices.find((n) => n.message.startsWith('Your remembered passwords'));
    const backup = backups.find((name) => name.startsWith('secrets.corrupt-'));
    expect(secrets).toMatchObject({ message: `Your remembered passwords could not be read (its content does not match what Firedeck expects). Firedeck kept it as ${backup} in its data folder and forgot them.`, remedy: expect.stringContaining('asks for each password') });
    expect(notices.find((n) => n.message.startsWith('Your host list'))?.message).toContain('started with no hosts');
    expect(notices.find((n) => n.message.startsWith('Your settings file'))?.message).toContain('schema version 99');
  });

  it('nothing is raised when every file reads', async () => {
    expect((await start()).notices).toEqual([]);
  });
});
