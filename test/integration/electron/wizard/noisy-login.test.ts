import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureKeyUser, setFakeCommands, setLoginNoise, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';
import { startTestMirror } from '../../../support/test-mirror';
import type { TestMirror } from '../../../support/test-mirror';
import { removeVmsOf, x86KernelHeader } from '../../../support/vm-fixtures';

/**
 * A Debian host as it often is: sshd's default sftp-server runs through the user's login
 * shell, and ~/.bashrc prints a greeting, which lands in the SFTP stream and breaks it. Uploads
 * must still arrive whole (through an exec channel) and say why SFTP was not used.
 */
let mirror: TestMirror;
let host: TestHost;
let t: TestCore;
let user: string;
let hostId: string;

beforeAll(async () => {
  user = await ensureKeyUser('fdset-noisy');
  await removeVmsOf(user);
  await rm(`/home/${user}/.firedeck`, { recursive: true, force: true });
  await rm(`/home/${user}/bin`, { recursive: true, force: true });
  // The host cannot reach the mirror either, so the wizard must upload what it downloads.
  await setFakeCommands(user, { curl: 'echo "curl: (7) Failed to connect" >&2; exit 7' });
  await setLoginNoise(user, 'Welcome!');
  mirror = await startTestMirror();
  host = await startTestHost({ address: '127.0.0.164', users: [user], sftp: 'external' });
  t = await startTestCore();
  await t.call('settings.update', { firecrackerReleaseBaseUrl: mirror.releaseBaseUrl, imageBaseUrl: mirror.imageBaseUrl });
  hostId = await connectTestHost(t, host, { user });
});
afterAll(async () => {
  await t.close();
  await host.stop();
  await mirror.stop();
  await setLoginNoise(user);
});

describe('a host whose login shell prints into the SFTP stream', () => {
  it('the wizard’s upload fallback still installs, and the log says why SFTP was not used', async () => {
    const report = await t.call('wizard.run', { hostId });
    expect(report.steps.find((s) => s.status === 'failed')).toBeUndefined();
    const install = report.steps.find((s) => s.name === 'firecracker.install')!;
    expect(install.detail).toContain('downloaded here and uploaded');
    expect(install.commands.join('\n')).toMatch(/login shell printed text into the SFTP stream \(it began “Welc…”\).*exec channel/s);
    expect(execFileSync(`/home/${user}/.firedeck/bin/firecracker`, ['--version'], { encoding: 'utf8' })).toContain('Firecracker v1.12.0');
  });

  it('imports an image whole, with its checksum, and says how it travelled', async () => {
    await t.call('workspaces.create', { id: 'imports' });
    const kernel = Buffer.concat([x86KernelHeader(), randomBytes(3 * 1024 * 1024)]);
    await writeFile(join(t.dataDir, 'workspaces', 'imports', 'vmlinux-noisy'), kernel);
    const imported = await t.call('images.import', { hostId, workspaceId: 'imports', path: 'vmlinux-noisy', transferId: randomUUID() });
    const sha256 = createHash('sha256').update(kernel).digest('hex');
    expect(imported).toMatchObject({ name: 'vmlinux-noisy', sha256, sftpProblem: expect.stringContaining('login shell printed text into the SFTP stream') });
    expect(execFileSync('sha256sum', [imported.path], { encoding: 'utf8' }).slice(0, 64)).toBe(sha256);
    const listed = await t.call('images.listInstalled', { hostId });
    expect(listed.images.find((i) => i.name === 'vmlinux-noisy')).toMatchObject({ sha256, arch: 'x86_64' });
  });

  it('pushes a workspace file through the exec channel, and a cancel leaves nothing on the host', async () => {
    await t.call('workspaces.create', { id: 'ws-noisy' });
    const dir = join(t.dataDir, 'workspaces', 'ws-noisy');
    const small = randomBytes(1024 * 1024 + 3);
    await writeFile(join(dir, 'small.bin'), small);
    const pushed = await t.call('workspaces.push', { workspaceId: 'ws-noisy', path: 'small.bin', hostId, transferId: randomUUID() });
    expect(pushed).toMatchObject({ via: 'ssh-exec', bytes: small.length, sha256: createHash('sha256').update(small).digest('hex') });

    await writeFile(join(dir, 'big.bin'), randomBytes(96 * 1024 * 1024));
    const transferId = randomUUID();
    const started = t.nextEvent('transfers.progressed', (e) => e.transferId === transferId && e.sent > 0);
    const push = failureOf(t.call('workspaces.push', { workspaceId: 'ws-noisy', path: 'big.bin', hostId, transferId }));
    await started;
    expect(await t.call('transfers.cancel', { transferId })).toEqual({ cancelled: true });
    expect(await push).toMatchObject({ code: 'CANCELLED' });
    const remote = `/home/${user}/.firedeck/workspaces/ws-noisy`;
    expect(existsSync(remote) ? readdirSync(remote).filter((n) => n.includes('big.bin')) : []).toEqual([]);
  });
});
