import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID, createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureKeyUser, ensureTestUsers, setFakeCommands, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../../../support/ssh-test-hosts';
import { pushFile } from '../../../../electron/transfers/push-file';
import { connectTestHost, failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';

let t: TestCore;
const warnings: string[] = [];
let workspaceDir: string;

beforeEach(async () => {
  warnings.length = 0;
  t = await startTestCore({ log: { warn: (m: string) => warnings.push(m), error: () => {} } });
  await t.call('workspaces.create', { id: 'vm-1' });
  workspaceDir = join(t.dataDir, 'workspaces', 'vm-1');
});
afterEach(() => t.close());

describe('workspace files', () => {
  it('creates, edits, renames, lists and deletes files', async () => {
    await t.call('workspaces.writeFile', { workspaceId: 'vm-1', path: 'src/main.sh', content: 'echo hi\n' });
    expect(await t.call('workspaces.readFile', { workspaceId: 'vm-1', path: 'src/main.sh' })).toEqual({ content: 'echo hi\n', size: 8 });
    await t.call('workspaces.rename', { workspaceId: 'vm-1', from: 'src/main.sh', to: 'src/run.sh' });
    const listing = await t.call('workspaces.listFiles', { workspaceId: 'vm-1', dir: 'src' });
    expect(listing.map((e) => [e.path, e.kind])).toEqual([['src/run.sh', 'file']]);
    expect(await t.call('workspaces.delete', { workspaceId: 'vm-1', path: 'src' })).toEqual({ deleted: true });
    expect(await t.call('workspaces.listFiles', { workspaceId: 'vm-1' })).toEqual([]);
  });

  it('refuses ../ escapes with a clear error, logs them, and changes nothing', async () => {
    for (const path of ['../../etc/passwd', '/etc/passwd', 'a/../../../etc/passwd', `${join(t.dataDir, 'settings.json')}`]) {
      const refused = await failureOf(t.call('workspaces.readFile', { workspaceId: 'vm-1', path }));
      expect(refused).toMatchObject({ code: 'JAIL_ESCAPE', message: expect.stringContaining('outside the workspace') });
    }
    expect(await failureOf(t.call('workspaces.writeFile', { workspaceId: 'vm-1', path: '../escaped.txt', content: 'x' }))).toMatchObject({ code: 'JAIL_ESCAPE' });
    expect(existsSync(join(t.dataDir, 'workspaces', 'escaped.txt'))).toBe(false);
    expect(warnings.filter((w) => w.includes('outside workspace vm-1'))).toHaveLength(5);
    expect(await failureOf(t.call('workspaces.readFile', { workspaceId: 'vm-1', path: 'a\0b' }))).toMatchObject({ code: 'INVALID_PATH' });
  });

  it('refuses symlinks that lead out, including dangling ones a write would follow', async () => {
    const outside = join(t.dataDir, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await symlink(outside, join(workspaceDir, 'out-dir'));
    await symlink(join(outside, 'planted.txt'), join(workspaceDir, 'dangling.txt'));
    await symlink('.', join(workspaceDir, 'self'));
    expect(await failureOf(t.call('workspaces.readFile', { workspaceId: 'vm-1', path: 'out-dir/secret.txt' }))).toMatchObject({ code: 'JAIL_ESCAPE' });
    expect(await failureOf(t.call('workspaces.writeFile', { workspaceId: 'vm-1', path: 'out-dir/new.txt', content: 'x' }))).toMatchObject({ code: 'JAIL_ESCAPE' });
    expect(await failureOf(t.call('workspaces.writeFile', { workspaceId: 'vm-1', path: 'dangling.txt', content: 'x' }))).toMatchObject({ code: 'JAIL_ESCAPE' });
    expect(await readdir(outside)).toEqual(['secret.txt']);
    // A link that stays inside is fine.
    await t.call('workspaces.writeFile', { workspaceId: 'vm-1', path: 'self/inside.txt', content: 'ok' });
    expect(await readFile(join(workspaceDir, 'inside.txt'), 'utf8')).toBe('ok');
  });

  it('takes a dropped file in chunks and shows it only once complete', async () => {
    const data = randomBytes(1300 * 1024);
    const uploadId = randomUUID();
    const chunks = [data.subarray(0, 512 * 1024), data.subarray(512 * 1024, 1024 * 1024), data.subarray(1024 * 1024)];
    let offset = 0;
    for (const [i, chunk] of chunks.entries()) {
      await t.call('workspaces.uploadChunk', { workspaceId: 'vm-1', uploadId, path: 'drop/blob.bin', offset, data: chunk.toString('base64'), done: i === chunks.length - 1 });
      offset += chunk.length;
      const names = (await t.call('workspaces.listFiles', { workspaceId: 'vm-1', dir: 'drop' })).map((e) => e.name);
      expect(names).toEqual(i === chunks.length - 1 ? ['blob.bin'] : []);
    }
    expect((await readFile(join(workspaceDir, 'drop', 'blob.bin'))).equals(data)).toBe(true);
    expect(await failureOf(t.call('workspaces.readFile', { workspaceId: 'vm-1', path: 'drop/blob.bin' }))).toMatchObject({ code: 'FILE_TOO_LARGE' });
  });
});

describe('pushing to a host', () => {
  let host: TestHost;
  let users: TestUsers;
  // A user of its own for the test that plants a corrupting `tee`, so no other test sees it.
  const corruptUser = 'fdtest-push-bad';
  beforeAll(async () => {
    users = await ensureTestUsers();
    await ensureKeyUser(corruptUser);
    host = await startTestHost({ address: '127.0.0.6', users: [corruptUser] });
  });
  afterAll(() => host.stop());

  const connectedHost = () => connectTestHost(t, host);
  const remote = (path: string) => `/home/${users.key.name}/.firedeck/workspaces/vm-1/${path}`;

  // Under 16 MiB the file is read and hashed on the main thread, above it on a worker.
  it.each([3 * 1024 * 1024 + 17, 24 * 1024 * 1024 + 17])('copies a file of %i bytes with progress and a matching SHA-256 on arrival, hashed on both ends in passing', async (size) => {
    const hostId = await connectedHost();
    const data = randomBytes(size);
    await mkdir(join(workspaceDir, 'dist'), { recursive: true });
    await writeFile(join(workspaceDir, 'dist', 'app.bin'), data);
    const transferId = randomUUID();
    const progress: number[] = [];
    const unsubscribe = t.core.events.subscribe((event, payload) => {
      if (event === 'transfers.progressed' && (payload as { transferId: string }).transferId === transferId) progress.push((payload as { sent: number }).sent);
    });
    const result = await t.call('workspaces.push', { workspaceId: 'vm-1', path: 'dist/app.bin', hostId, transferId });
    unsubscribe();
    const sha256 = createHash('sha256').update(data).digest('hex');
    expect(result).toEqual({ remotePath: remote('dist/app.bin'), bytes: data.length, sha256, via: 'ssh-exec' });
    expect(execFileSync('sha256sum', [remote('dist/app.bin')], { encoding: 'utf8' }).slice(0, 64)).toBe(sha256);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(data.length);
    expect((await readdir(remote('dist'))).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('refuses a copy whose bytes were changed on their way to the host’s disk, and leaves nothing under its name', async () => {
    const home = `/home/${corruptUser}`;
    // The host's receiver (python3 where it has one, else tee into a hasher) gets changed bytes:
    // what the host hashes is what it wrote, and that no longer matches what was read here.
    // dd reads the SIZE bytes one at a time, so the digest line after them stays on stdin.
    await setFakeCommands(corruptUser, {
      python3: `dd bs=1 count="$4" status=none | tr 'a' 'b' | /usr/bin/python3 "$@"`,
      tee: `tr 'a' 'b' | /usr/bin/tee "$@"`,
    });
    try {
      const hostId = await connectTestHost(t, host, { user: corruptUser, label: 'corrupting host' });
      await writeFile(join(workspaceDir, 'text.txt'), 'a file with an a in it\n'.repeat(1000));
      const refused = await failureOf(t.call('workspaces.push', { workspaceId: 'vm-1', path: 'text.txt', hostId, transferId: randomUUID() }));
      expect(refused).toMatchObject({ code: 'PUSH_CHECKSUM_MISMATCH', remedy: expect.stringContaining('again') });
      const dir = `${home}/.firedeck/workspaces/vm-1`;
      expect(existsSync(dir) ? await readdir(dir) : []).toEqual([]);
    } finally {
      await rm(`${home}/bin/tee`, { force: true });
      await rm(`${home}/bin/python3`, { force: true });
      await rm(`${home}/.firedeck`, { recursive: true, force: true });
    }
  });

  it('cancels a push and leaves no file, half or whole, on the host', async () => {
    const hostId = await connectedHost();
    await writeFile(join(workspaceDir, 'big.bin'), randomBytes(96 * 1024 * 1024));
    const transferId = randomUUID();
    const started = new Promise<void>((resolve) => {
      const unsubscribe = t.core.events.subscribe((event) => {
        if (event !== 'transfers.progressed') return;
        unsubscribe();
        resolve();
      });
    });
    const push = failureOf(t.call('workspaces.push', { workspaceId: 'vm-1', path: 'big.bin', hostId, transferId }));
    await started;
    expect(await t.call('transfers.cancel', { transferId })).toEqual({ cancelled: true });
    expect(await push).toMatchObject({ code: 'CANCELLED' });
    // The host's receiver ends when it sees its channel close, taking its temp file with it (its
    // trap); under load that can be a moment after the push has answered.
    // This transfer's files only: the test user's home outlives runs on the same machine.
    const leftovers = async () => (existsSync(remote('')) ? await readdir(remote('')) : []).filter((n) => n === 'big.bin' || n.includes(transferId.slice(0, 8)));
    for (let i = 0; i < 100 && (await leftovers()).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await leftovers()).toEqual([]);
  });

  // The size is taken before the file is read; a file cut short in between must not land.
  it.each([64 * 1024, 20 * 1024 * 1024])('refuses a file of %i bytes that is shorter than its size by the time it is read, and leaves nothing', async (size) => {
    const hostId = await connectedHost();
    const file = join(workspaceDir, 'shrinking.bin');
    await writeFile(file, randomBytes(size - 1));
    const transferId = randomUUID();
    const pushed = pushFile(t.core.hosts.connection(hostId), {
      localPath: file,
      size,
      remoteRelative: '.firedeck/workspaces/vm-1/shrinking.bin',
      transferId,
      signal: new AbortController().signal,
      onProgress: () => {},
      prefer: 'ssh-exec',
    });
    await expect(pushed).rejects.toMatchObject({ code: 'PUSH_FAILED', message: expect.stringContaining('changed while it was being sent') });
    // As after a cancel, the host's receiver may take a moment after the answer to remove its temp file.
    const leftovers = async () => (existsSync(remote('')) ? await readdir(remote('')) : []).filter((n) => n === 'shrinking.bin' || n.includes(transferId.slice(0, 8)));
    for (let i = 0; i < 100 && (await leftovers()).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await leftovers()).toEqual([]);
  });

  it('refuses to push a file outside the workspace', async () => {
    const hostId = await connectedHost();
    expect(await failureOf(t.call('workspaces.push', { workspaceId: 'vm-1', path: '../../settings.json', hostId, transferId: randomUUID() }))).toMatchObject({ code: 'JAIL_ESCAPE' });
  });
});
