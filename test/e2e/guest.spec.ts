/**
 * A new user into a guest: add a host, boot a microVM, open a terminal in its guest, run a
 * command, forward a guest port and open it. The guest's sshd is a real one in a network
 * namespace of its own (its 127.0.0.1:8000 exists only there), reached through the host's
 * connection; the VM itself is the emulator's, so the backend is told the guest's address (the
 * real app asks the VM's network on the host: see guest-web-backend.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { guestPublicKey } from '../../electron/wizard/guest-key';
import { startNetnsRig, waitForOutput } from '../support/netns-hosts';
import type { NetnsRig } from '../support/netns-hosts';
import { ensureKeyUser, ensureTestUsers, startTestHost } from '../support/ssh-test-hosts';
import type { TestHost } from '../support/ssh-test-hosts';
import { installFirecrackerFor, removeVmsOf } from '../support/vm-fixtures';
import { startGuestWebBackend } from '../support/guest-web-backend';
import type { GuestWebBackend } from '../support/guest-web-backend';
import { expect, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { GuestPage } from './pages/guest-page';
import { HostsPage } from './pages/hosts-page';
import { VmsPage } from './pages/vms-page';

const user = 'fdguest-e2e';
const guestUser = 'fdguest-e2eg';
let host: TestHost;
let rig: NetnsRig;

test.beforeAll(async () => {
  await ensureTestUsers();
  await ensureKeyUser(user);
  await ensureKeyUser(guestUser);
  await installFirecrackerFor(user);
  host = await startTestHost({ address: '127.0.0.233', users: [user] });
  rig = await startNetnsRig('gse', { address: '127.0.0.234', users: [guestUser] });
});
test.afterAll(async () => {
  await rig?.stop();
  await host?.stop();
  await removeVmsOf(user);
});

test('a new user opens a terminal in the guest, runs a command, forwards a port and opens it', async ({ page, dataDir }) => {
  test.setTimeout(120_000);
  const home = join(dataDir, 'home');
  await mkdir(join(home, '.ssh'), { recursive: true });
  await writeFile(`/home/${guestUser}/.ssh/authorized_keys`, `${await guestPublicKey(dataDir)}\n`);
  let backend: GuestWebBackend | undefined;
  try {
    backend = await startGuestWebBackend({ dataDir, home, guest: { host: rig.host.address, port: rig.host.port, user: guestUser } });
    const app = await new AppPage(page).open(backend.url);
    const users = await ensureTestUsers();
    const hosts = new HostsPage(page);
    await hosts.addHost({ name: 'kvm box', address: host.address, port: String(host.port), user, keyPath: users.key.keyPath });
    await hosts.trustKey(await host.fingerprint());
    await app.goTo('MicroVMs');
    const vms = new VmsPage(page);
    await vms.createVm('guest-e2e');

    const guest = new GuestPage(page);
    await expect(guest.status()).toContainText('sshd is up', { timeout: 15_000 });
    await guest.openTerminal();
    await guest.typeInTerminal('uname -a');
    await expect(guest.terminal()).toContainText('Linux', { timeout: 15_000 });

    const run = await guest.runCommand('echo hello-from-the-guest; echo oops >&2; exit 4');
    await expect(run).toContainText('hello-from-the-guest');
    await expect(run).toContainText('exit code 4');

    const server = rig.host.spawnRoot([process.execPath, '-e', "require('node:http').createServer((q, s) => s.end('served in the guest')).listen(8000, '127.0.0.1', () => console.log('listening'))"]);
    await waitForOutput(server, /listening/, 'the guest’s HTTP server');
    const forward = await guest.forwardSuggested(8000);
    await expect(forward).toContainText('127.0.0.1:');
    await page.setViewportSize({ width: 1280, height: 1900 });
    await guest.card().screenshot({ path: test.info().outputPath('guest-card.png') });
    const [opened] = await Promise.all([page.context().waitForEvent('page'), forward.getByRole('link', { name: 'Open in browser' }).click()]);
    await expect(opened.locator('body')).toHaveText('served in the guest');
    await opened.close();

    await page.getByRole('button', { name: 'Show ssh command' }).click();
    await expect(page.getByLabel('ssh command')).toContainText('ssh -F');
    await page.getByText('Spelled out, and for VS Code Remote-SSH').click();
    await guest.card().screenshot({ path: test.info().outputPath('guest-card-ssh.png') });
  } finally {
    await backend?.stop();
  }
});

test('a user syncs a folder into the guest and, after confirming the list, deletes what only the guest had', async ({ page, dataDir }) => {
  test.setTimeout(120_000);
  const home = join(dataDir, 'home');
  await mkdir(join(home, '.ssh'), { recursive: true });
  await writeFile(`/home/${guestUser}/.ssh/authorized_keys`, `${await guestPublicKey(dataDir)}\n`);
  const site = join(dataDir, 'workspaces', 'sync-e2e', 'site');
  await mkdir(site, { recursive: true });
  await writeFile(join(site, 'index.html'), '<p>kept</p>\n');
  const guestDir = `/home/${guestUser}/site-sync`;
  const inGuest = async (script: string) => (await rig.host.root(['su', '-s', '/bin/sh', guestUser, '-c', script])).stdout;
  await inGuest(`rm -rf ${guestDir} && mkdir -p ${guestDir}/old && i=0; while [ $i -lt 25 ]; do echo x > ${guestDir}/old/page-$i.html; i=$((i+1)); done`);
  let backend: GuestWebBackend | undefined;
  try {
    backend = await startGuestWebBackend({ dataDir, home, guest: { host: rig.host.address, port: rig.host.port, user: guestUser } });
    const app = await new AppPage(page).open(backend.url);
    const users = await ensureTestUsers();
    const hosts = new HostsPage(page);
    await hosts.addHost({ name: 'kvm box', address: host.address, port: String(host.port), user, keyPath: users.key.keyPath });
    await hosts.trustKey(await host.fingerprint());
    await app.goTo('MicroVMs');
    await new VmsPage(page).createVm('sync-e2e');
    const guest = new GuestPage(page);
    await expect(guest.status()).toContainText('sshd is up', { timeout: 15_000 });

    let dialog = await guest.syncDeleting('site', guestDir);
    await expect(dialog).toHaveAccessibleName('Delete 25 file(s) only in the VM?');
    await expect(dialog.getByRole('list', { name: 'Files to delete' }).getByRole('listitem')).toHaveCount(10);
    await expect(dialog).toContainText('old/page-0.html');
    await expect(dialog).toContainText('and 15 more');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    expect(await inGuest(`ls ${guestDir}/old | wc -l`)).toBe('25\n');

    dialog = await guest.syncDeleting('site', guestDir);
    await dialog.getByRole('button', { name: 'Delete and sync' }).click();
    await expect(guest.lastTransfer()).toContainText('1 sent', { timeout: 30_000 });
    await expect(guest.lastTransfer()).toContainText('25 deleted');
    expect(await inGuest(`cd ${guestDir} && find . -type f`)).toBe('./index.html\n');
    await inGuest(`rm -rf ${guestDir}`);
  } finally {
    await backend?.stop();
  }
});
