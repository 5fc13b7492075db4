import { execFileSync } from 'node:child_process';
import { chmod, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureKeyUser, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';

// ~/.firedeck holds memory snapshots and console logs: no other local user of the host may
// read them. The test hosts share this machine's filesystem, so the tree is inspected here.

let user: string;
let host: TestHost;
let t: TestCore;
let fd: string;

beforeAll(async () => {
  user = await ensureKeyUser('fdssh-modes');
  host = await startTestHost({ address: '127.0.0.73', users: [user] });
  fd = `/home/${user}/.firedeck`;
});
afterAll(() => host.stop());
beforeEach(async () => {
  await rm(fd, { recursive: true, force: true });
  t = await startTestCore();
});
afterEach(() => t.close());

const mode = async (path: string) => ((await stat(path)).mode & 0o7777).toString(8).padStart(4, '0');

describe('~/.firedeck on the host', () => {
  it('a tree left world-readable by an older Firedeck is made private when Firedeck connects', async () => {
    for (const dir of ['bin', 'images/x86_64', 'vms/vm-1/snapshots/before']) await mkdir(join(fd, dir), { recursive: true });
    const files: [string, number][] = [
      ['bin/firecracker', 0o755],
      ['images/x86_64/rootfs-ubuntu.ext4', 0o644],
      ['vms/vm-1/console.log', 0o644],
      ['vms/vm-1/snapshots/before/mem', 0o644],
    ];
    for (const [file, m] of files) {
      await writeFile(join(fd, file), 'data');
      await chmod(join(fd, file), m);
    }
    execFileSync('chmod', ['-R', 'go+rX', fd]);
    execFileSync('chown', ['-R', `${user}:${user}`, fd]);
    expect(await mode(join(fd, 'vms/vm-1/console.log'))).toBe('0644');

    await connectTestHost(t, host, { user });
    await expect.poll(() => mode(join(fd, 'vms/vm-1/snapshots/before/mem')), { timeout: 15_000 }).toBe('0600');
    await expect.poll(() => mode(join(fd, 'bin/firecracker')), { timeout: 15_000 }).toBe('0700');
    expect(await Promise.all(['', 'bin', 'images', 'images/x86_64', 'vms', 'vms/vm-1', 'vms/vm-1/snapshots'].map((d) => mode(join(fd, d))))).toEqual(Array(7).fill('0700'));
    expect(await mode(join(fd, 'images/x86_64/rootfs-ubuntu.ext4'))).toBe('0600');
    expect(await mode(join(fd, 'vms/vm-1/console.log'))).toBe('0600');
  });

  it('what a command creates there is private, whatever umask the login shell sets', async () => {
    const bashrc = `/home/${user}/.bashrc`;
    execFileSync('sh', ['-c', `printf 'umask 022\\n' >> '${bashrc}'`]);
    try {
      const id = await connectTestHost(t, host, { user });
      await t.core.hosts.connection(id).exec('mkdir -p "$HOME/.firedeck/vms/vm-2" && printf x > "$HOME/.firedeck/vms/vm-2/console.log"');
      expect(await mode(join(fd, 'vms/vm-2'))).toBe('0700');
      expect(await mode(join(fd, 'vms/vm-2/console.log'))).toBe('0600');
    } finally {
      execFileSync('sed', ['-i', '/^umask 022$/d', bashrc]);
    }
  });
});
