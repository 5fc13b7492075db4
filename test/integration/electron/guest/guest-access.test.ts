/**
 * Into the guest through the host: a real sshd host, and a real sshd in a network namespace of
 * its own standing in for the guest (its loopback is not this machine's: a server on its
 * 127.0.0.1:8000 is reachable only from inside it). The app reaches the guest only over the
 * host's SSH connection, with the guest key the wizard makes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestPublicKey } from '../../../../electron/wizard/guest-key';
import type { GuestAddressResolver } from '../../../../electron/guest/guest-service';
import { startNetnsRig, waitForOutput } from '../../../support/netns-hosts';
import type { NetnsRig } from '../../../support/netns-hosts';
import { ensureKeyUser, ensureTestUsers, startTestHost } from '../../../support/ssh-test-hosts';
import type { TestHost } from '../../../support/ssh-test-hosts';
import { connectTestHost, failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';

const GUEST_USER = 'fdguest-it';
const NO_KEY_USER = 'fdguest-nokey';

let host: TestHost;
let rig: NetnsRig;
let t: TestCore;
let hostId: string;
/** What the resolver answers; a test may point it elsewhere (a closed port, a user without the key). */
let guestAt: { host: string; port: number; user?: string };
const vm = () => ({ hostId, id: 'guest-1' });

beforeAll(async () => {
  await ensureTestUsers();
  await ensureKeyUser(GUEST_USER);
  await ensureKeyUser(NO_KEY_USER);
  host = await startTestHost({ address: '127.0.0.231' });
  rig = await startNetnsRig('gst', { address: '127.0.0.232', users: [GUEST_USER, NO_KEY_USER] });
  guestAt = { host: rig.host.address, port: rig.host.port, user: GUEST_USER };
  const resolver: GuestAddressResolver = () => Promise.resolve(guestAt);
  t = await startTestCore({ guestAddress: resolver });
  // The guest's root filesystem carries the wizard's key in authorized_keys.
  const publicKey = await guestPublicKey(t.dataDir);
  await writeFile(`/home/${GUEST_USER}/.ssh/authorized_keys`, `${publicKey}\n`);
  hostId = await connectTestHost(t, host);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await rig?.stop();
  await host?.stop();
});

/** Collects a command's events until it exits. */
function runCommand(command: string) {
  const execId = randomUUID();
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ exitCode: number | null }>((resolve) => {
    const off = t.core.events.subscribe((event, payload) => {
      const p = payload as { execId?: string; stream?: string; data?: string; exitCode?: number | null };
      if (p.execId !== execId) return;
      if (event === 'guest.execOutput') {
        if (p.stream === 'stdout') stdout += p.data;
        else stderr += p.data;
      } else if (event === 'guest.execExited') {
        off();
        resolve({ exitCode: p.exitCode ?? null });
      }
    });
  });
  const started = t.call('guest.exec', { ...vm(), execId, command });
  return { execId, started, done: exited.then((e) => ({ ...e, stdout, stderr })) };
}

/** Terminal output until `pattern` shows (bounded). */
function terminalUntil(sessionId: string, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      off();
      reject(new Error(`terminal never showed ${pattern}: ${JSON.stringify(seen.slice(-500))}`));
    }, timeoutMs);
    const off = t.core.events.subscribe((event, payload) => {
      const p = payload as { sessionId?: string; data?: string };
      if (event !== 'guest.terminalOutput' || p.sessionId !== sessionId) return;
      seen += p.data;
      if (pattern.test(seen)) {
        clearTimeout(timer);
        off();
        resolve(seen);
      }
    });
  });
}

const guestSh = (script: string) => rig.host.root(['su', '-s', '/bin/sh', GUEST_USER, '-c', script]);

describe('guest access through the host', () => {
  it('shows the guest’s sshd as up, by its banner', async () => {
    const status = await t.call('guest.status', vm());
    expect(status.state).toBe('up');
    expect(status.banner).toMatch(/^SSH-2\.0-OpenSSH/);
  });

  it('runs uname -a in a terminal, two terminals at once, and resizes one', async () => {
    const one = await t.call('guest.terminalOpen', { ...vm(), cols: 80, rows: 24 });
    const two = await t.call('guest.terminalOpen', { ...vm(), cols: 100, rows: 30 });
    const shown = terminalUntil(one.sessionId, /Linux \S+ \d/);
    await t.call('guest.terminalInput', { sessionId: one.sessionId, data: 'uname -a\n' });
    expect(await shown).toMatch(/Linux/);
    await t.call('guest.terminalResize', { sessionId: two.sessionId, cols: 123, rows: 45 });
    const size = terminalUntil(two.sessionId, /45 123/);
    await t.call('guest.terminalInput', { sessionId: two.sessionId, data: 'stty size\n' });
    await size;
    // Both terminals share the guest's one SSH connection.
    expect(t.core.hosts.connection(hostId).usage().forwards).toBe(1);
    const closed = t.nextEvent('guest.terminalClosed', (e) => e.sessionId === one.sessionId);
    await t.call('guest.terminalInput', { sessionId: one.sessionId, data: 'exit\n' });
    await closed;
    await t.call('guest.terminalClose', { sessionId: two.sessionId });
  });

  it('streams a command’s output and exit code, and cancels a long one', async () => {
    const run = runCommand('echo out; echo err >&2; exit 3');
    await run.started;
    expect(await run.done).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });

    const long = runCommand('echo started; sleep 600');
    await long.started;
    await t.nextEvent('guest.execOutput', (e) => e.execId === long.execId);
    expect(await t.call('guest.execCancel', { execId: long.execId })).toEqual({ cancelled: true });
    expect((await long.done).exitCode).toBeNull();
  });

  it('copies a workspace folder into the guest and a guest folder back, checked by SHA-256', async () => {
    await t.call('workspaces.create', { id: 'guest-1' });
    await t.call('workspaces.createFolder', { workspaceId: 'guest-1', path: 'app/src' });
    await t.call('workspaces.writeFile', { workspaceId: 'guest-1', path: 'app/readme.txt', content: 'hello guest\n' });
    await t.call('workspaces.writeFile', { workspaceId: 'guest-1', path: 'app/src/main.sh', content: 'echo main\n' });
    const progress: number[] = [];
    const transferId = randomUUID();
    const off = t.core.events.subscribe((event, payload) => {
      if (event === 'transfers.progressed' && (payload as { transferId: string }).transferId === transferId) progress.push((payload as { sent: number }).sent);
    });
    const result = await t.call('guest.copyIn', { ...vm(), workspaceId: 'guest-1', path: 'app', guestDir: `/home/${GUEST_USER}/in`, transferId });
    off();
    expect(result).toMatchObject({ files: 2, bytes: 22, destination: `/home/${GUEST_USER}/in/app` });
    expect(progress.at(-1)).toBe(22);
    expect((await guestSh(`cat ~/in/app/readme.txt ~/in/app/src/main.sh`)).stdout).toBe('hello guest\necho main\n');
    expect((await guestSh('ls -a ~/in/app')).stdout).not.toMatch(/\.part/);

    await guestSh('mkdir -p ~/out/logs && printf "line 1\\n" > ~/out/logs/a.log && head -c 300000 /dev/urandom > ~/out/blob.bin');
    const back = await t.call('guest.copyOut', { ...vm(), workspaceId: 'guest-1', guestPath: `/home/${GUEST_USER}/out`, dir: 'fetched', transferId: randomUUID() });
    expect(back).toMatchObject({ files: 2, destination: 'fetched/out' });
    const local = join(t.dataDir, 'workspaces', 'guest-1', 'fetched', 'out');
    expect(await readFile(join(local, 'logs', 'a.log'), 'utf8')).toBe('line 1\n');
    const guestSum = (await guestSh('sha256sum ~/out/blob.bin')).stdout.slice(0, 64);
    expect(execFileSync('sha256sum', [join(local, 'blob.bin')], { encoding: 'utf8' }).slice(0, 64)).toBe(guestSum);

    const escape = await failureOf(t.call('guest.copyOut', { ...vm(), workspaceId: 'guest-1', guestPath: `/home/${GUEST_USER}/out`, dir: '../../..', transferId: randomUUID() }));
    expect(escape.code).toMatch(/JAIL_ESCAPE|INVALID_PATH/);
  });

  it('cancels a copy into the guest and leaves nothing of it there', async () => {
    const big = join(t.dataDir, 'workspaces', 'guest-1', 'big.bin');
    await t.call('workspaces.create', { id: 'guest-1' });
    await writeFile(big, randomBytes(64 * 1024 * 1024));
    const transferId = randomUUID();
    const firstProgress = t.nextEvent('transfers.progressed', (e) => e.transferId === transferId && e.sent > 0);
    const copy = t.call('guest.copyIn', { ...vm(), workspaceId: 'guest-1', path: 'big.bin', guestDir: `/home/${GUEST_USER}/big`, transferId });
    await firstProgress;
    expect(await t.call('transfers.cancel', { transferId })).toEqual({ cancelled: true });
    expect((await failureOf(copy)).code).toBe('CANCELLED');
    expect((await guestSh('ls -A ~/big')).stdout).toBe('');
  });

  it('syncs a workspace folder and sends a changed file alone the second time', async () => {
    const root = join(t.dataDir, 'workspaces', 'guest-1', 'site');
    await mkdir(join(root, 'css'), { recursive: true });
    for (let i = 0; i < 20; i++) await writeFile(join(root, `page-${i}.html`), `<p>page ${i}</p>\n`);
    await writeFile(join(root, 'css', 'main.css'), 'body { color: black }\n');
    const sync = () => t.call('guest.sync', { ...vm(), workspaceId: 'guest-1', path: 'site', guestDir: `/home/${GUEST_USER}/www`, transferId: randomUUID() });
    const first = await sync();
    expect(first.sent).toHaveLength(21);
    expect((await sync()).sent).toEqual([]);
    await writeFile(join(root, 'css', 'main.css'), 'body { color: rebeccapurple }\n');
    // A different modification time, whatever the clock's resolution.
    const info = await stat(join(root, 'css', 'main.css'));
    await utimes(join(root, 'css', 'main.css'), info.atime, new Date(info.mtimeMs + 5_000));
    const third = await sync();
    expect(third.sent).toEqual(['css/main.css']);
    expect(third.unchanged).toBe(20);
    expect((await guestSh('cat ~/www/css/main.css')).stdout).toBe('body { color: rebeccapurple }\n');
  });

  it('deletes files only the guest has, after a preview, and only what the preview listed', async () => {
    const root = join(t.dataDir, 'workspaces', 'guest-1', 'mirror');
    await mkdir(join(root, 'src'), { recursive: true });
    await writeFile(join(root, 'src', 'kept.ts'), 'export {};\n');
    const guestDir = `/home/${GUEST_USER}/mirror`;
    const folders = { ...vm(), workspaceId: 'guest-1', path: 'mirror', guestDir };
    // 200 guest-only files (some with names a shell would act on), a link out of the folder, a file outside.
    await guestSh(
      `mkdir -p ~/mirror/old/deep ~/outside && echo keep > ~/outside/secret && ln -s ~/outside ~/mirror/out-link && ` +
        `i=0; while [ $i -lt 197 ]; do echo x > ~/mirror/old/deep/file-$i.txt; i=$((i+1)); done; ` +
        `echo x > ~/mirror/'$(touch pwned).txt'; echo x > ~/mirror/-rf; echo x > ~/mirror/'a b'`,
    );
    const sync = (extra: Record<string, unknown>) => t.call('guest.sync', { ...folders, transferId: randomUUID(), ...extra });
    await sync({});
    const listed = (await guestSh('cd ~/mirror && find . -type f | grep -v old/deep')).stdout;
    expect(listed.split('\n').filter(Boolean).sort()).toEqual(['./$(touch pwned).txt', './-rf', './a b', './src/kept.ts']);
    expect((await guestSh('ls ~/mirror/old/deep | wc -l')).stdout.trim()).toBe('197');

    const preview = await t.call('guest.syncPreview', folders);
    expect(preview.toDelete).toHaveLength(200);
    expect(preview.toDelete).toContain('$(touch pwned).txt');
    expect(preview.toDelete.some((p) => p.startsWith('out-link') || p.startsWith('..') || p.startsWith('/'))).toBe(false);
    expect(preview.toDelete).not.toContain('src/kept.ts');
    expect(Date.parse(preview.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);

    // Another window cannot use this window's plan; a file made after the preview is not deleted.
    const other = await t.core.router.handle('guest.sync', { ...folders, transferId: randomUUID(), deleteExtraneous: true, planId: preview.planId }, { ownerId: 'other-window' });
    expect(other.ok ? null : other.error.code).toBe('NOT_FOUND');
    await guestSh('echo new > ~/mirror/after-preview.txt');
    const started = performance.now();
    const done = await sync({ deleteExtraneous: true, planId: preview.planId });
    const withDelete = (performance.now() - started) / 1000;
    // The same sync with nothing to send or delete: what the deletion itself added is the difference.
    const again = performance.now();
    expect((await sync({})).sent).toEqual([]);
    const plain = (performance.now() - again) / 1000;
    console.log(`guest sync --delete: ${done.deleted} guest-only files deleted, sync with deletion ${withDelete.toFixed(2)} s, the same sync with nothing to do ${plain.toFixed(2)} s`);
    expect(done).toMatchObject({ deleted: 200, skipped: 0 });
    expect((await guestSh('cd ~/mirror && find . -type f -o -type l | sort')).stdout).toBe('./after-preview.txt\n./out-link\n./src/kept.ts\n');
    expect((await guestSh('cat ~/outside/secret; ls ~/pwned ~/mirror/pwned 2>/dev/null | wc -l')).stdout).toBe('keep\n0\n');

    // The plan was single use.
    expect((await failureOf(sync({ deleteExtraneous: true, planId: preview.planId }))).code).toBe('NOT_FOUND');
    await guestSh('rm -rf ~/mirror ~/outside');
  });

  it('forwards a guest HTTP server on port 8000 to 127.0.0.1:PORT here, suggests it, and says when a port is taken', async () => {
    const server = rig.host.spawnRoot([process.execPath, '-e', "require('node:http').createServer((q, s) => s.end('hello from the guest')).listen(8000, '127.0.0.1', () => console.log('listening'))"]);
    await waitForOutput(server, /listening/, 'the guest’s HTTP server');
    const ports = await t.call('guest.listeningPorts', vm());
    expect(ports.map((p) => p.port)).toEqual(expect.arrayContaining([22, 8000]));

    const localPort = await freePort();
    const forward = await t.call('guest.forwardAdd', { ...vm(), guestPort: 8000, localPort });
    expect(forward.url).toBe(`http://127.0.0.1:${localPort}/`);
    expect(await (await fetch(forward.url)).text()).toBe('hello from the guest');
    expect((await t.call('guest.forwardList', vm())).map((f) => f.localPort)).toEqual([localPort]);

    const blocker = await listen();
    const taken = (blocker.address() as { port: number }).port;
    const refused = await failureOf(t.call('guest.forwardAdd', { ...vm(), guestPort: 8000, localPort: taken }));
    expect(refused.code).toBe('PORT_IN_USE');
    expect(refused.remedy).toMatch(/another local port/);
    blocker.close();

    // The VM stops: its forwards go, and its guest connection with them.
    const changed = t.nextEvent('guest.forwardsChanged', (e) => e.forwards.length === 0);
    t.core.events.emit('vms.changed', { hostId, id: 'guest-1', state: 'stopped', vcpus: 1, memoryMib: 128, kernel: '/k', rootfs: '/r' });
    await changed;
    await expect(fetch(forward.url)).rejects.toThrow();
    server.kill();
  });

  it('shows an ssh command that plain OpenSSH ssh runs in the guest, through the host', async () => {
    const shown = await t.call('guest.sshCommand', vm());
    expect(shown.spelledOut).toContain(`-J fdtest-key@127.0.0.231:${host.port}`);
    expect((await stat(shown.keyPath)).mode & 0o777).toBe(0o600);
    const config = await readFile(shown.configPath, 'utf8');
    expect(config).toContain(`Host ${shown.alias}`);
    const out = await new Promise<string>((resolve, reject) =>
      execFile('ssh', ['-F', shown.configPath, '-o', 'BatchMode=yes', shown.alias, 'echo reached $(hostname) as $(id -un)'], { timeout: 20_000 }, (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      ),
    );
    expect(out).toMatch(new RegExp(`^reached \\S+ as ${GUEST_USER}`));
  });

  it('names the cause and remedy when the guest has no sshd, refuses the key, or changed its host key', async () => {
    const saved = guestAt;
    try {
      guestAt = { host: '127.0.0.231', port: await freePort(), user: GUEST_USER };
      expect((await t.call('guest.status', vm())).state).toBe('down');
      const down = await failureOf(t.call('guest.terminalOpen', { ...vm(), cols: 80, rows: 24 }));
      expect(down.code).toBe('GUEST_SSH_DOWN');
      expect(down.remedy).toMatch(/openssh-server|booted/);

      guestAt = { ...saved, user: NO_KEY_USER };
      const refused = await failureOf(t.call('guest.exec', { ...vm(), execId: randomUUID(), command: 'true' }));
      expect(refused.code).toBe('GUEST_AUTH_FAILED');
      expect(refused.remedy).toMatch(/authorized_keys/);
    } finally {
      guestAt = saved;
    }
    await rig.host.replaceHostKey();
    const changed = await failureOf(t.call('guest.exec', { ...vm(), execId: randomUUID(), command: 'true' }));
    expect(changed.code).toBe('GUEST_HOST_KEY_CHANGED');
    expect(await t.call('guest.forgetHostKey', vm())).toEqual({ forgotten: true });
    const again = runCommand('echo back');
    await again.started;
    expect((await again.done).stdout).toBe('back\n');
  });

  it('closes what a window opened when the window goes away', async () => {
    await t.call('guest.terminalOpen', { ...vm(), cols: 80, rows: 24 });
    await t.call('guest.forwardAdd', { ...vm(), guestPort: 22, localPort: await freePort() });
    t.core.releaseOwner(t.caller.ownerId);
    expect(await t.call('guest.forwardList', vm())).toEqual([]);
    await expect.poll(() => t.core.hosts.connection(hostId).usage().forwards, { timeout: 10_000 }).toBe(0);
  });
});

function listen(port = 0): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function freePort(): Promise<number> {
  const server = await listen();
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
