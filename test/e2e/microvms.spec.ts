import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ensureKeyUser, ensureTestUsers, startTestHost } from '../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../support/ssh-test-hosts';
import { installFirecrackerFor, isConsoleLogWatcher, processesOf } from '../support/vm-fixtures';
import { startWebBackend } from '../support/web-backend';
import { expect, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { HostsPage } from './pages/hosts-page';
import { VmsPage } from './pages/vms-page';

// A test user of this spec's own: installFirecrackerFor kills its processes first.
const user = 'fdvm-e2e';
let host: TestHost;
let narrow: TestHost;
let users: TestUsers;
const runDir = (id: string) => `/home/${user}/.firedeck/vms/${id}`;

test.beforeAll(async () => {
  users = await ensureTestUsers();
  await ensureKeyUser(user);
  await installFirecrackerFor(user);
  [host, narrow] = await Promise.all([startTestHost({ address: '127.0.0.11', users: [user] }), startTestHost({ address: '127.0.0.104', users: [user], maxSessions: 2 })]);
});
test.afterAll(async () => {
  await Promise.all([host.stop(), narrow.stop()]);
  try {
    execFileSync('pkill', ['-9', '-u', user, '-f', 'firedeck/vms/'], { stdio: 'ignore' });
  } catch {
    // nothing left
  }
});

async function addHost(page: Page, which: TestHost = host, name = 'kvm box'): Promise<void> {
  await new HostsPage(page).addTrustedHost(name, which, { user, keyPath: users.key.keyPath });
}

/** What the test user runs on the host besides sshd and its microVMs (and their console-log watchers): console shells, tail, cat. */
const consoleProcesses = () => processesOf(user, '.').filter((line) => !/^\d+ sshd/.test(line) && !line.includes('/bin/firecracker') && !isConsoleLogWatcher(line));

test('a new user boots a microVM, watches its console and stops it; a name with a backslash is one VM', async ({ app, page }) => {
  await addHost(page);
  await app.goTo('MicroVMs');
  const vms = new VmsPage(page);
  await vms.createVm('e2e-vm', { name: 'x\\n@vm ghost-vm' });

  // The VM page opens with its live console: the boot log, then the guest's shell.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('x\\n@vm ghost-vm');
  // xterm draws only while in view, and the metrics panel puts the console below the fold.
  await vms.console().scrollIntoViewIfNeeded();
  await expect(vms.console()).toContainText('login', { timeout: 15_000 });
  await vms.typeInConsole('echo typed-in-the-browser');
  await expect(vms.console()).toContainText('typed-in-the-browser');
  await page.screenshot({ path: test.info().outputPath('vm-console.png') });

  await vms.backToList();
  await expect(vms.row('e2e-vm')).toContainText('Running');
  await expect(vms.rows()).toHaveCount(1); // the name forged no second entry
  await page.screenshot({ path: test.info().outputPath('vm-list.png') });
  await vms.stop('e2e-vm');
  await vms.delete('e2e-vm');
});

test('20 reloads of a VM page leave no console open on the host', async ({ app, page }) => {
  test.setTimeout(120_000);
  await addHost(page);
  await app.goTo('MicroVMs');
  const vms = new VmsPage(page);
  await vms.createVm('reload-vm');
  for (let i = 0; i < 20; i++) {
    await expect(vms.consoleStatus()).toHaveText(/Connected/);
    // Only the console of the page on screen (its shell, tail and cat): the one before it is gone.
    await expect.poll(() => consoleProcesses().length, { message: `console processes after reload ${i}` }).toBeLessThanOrEqual(3);
    await page.reload();
    await app.goTo('MicroVMs');
    await vms.openVm('reload-vm');
  }
  await expect(vms.consoleStatus()).toHaveText(/Connected/);
  await page.reload();
  await expect.poll(() => consoleProcesses(), { timeout: 10_000 }).toEqual([]);
  await app.goTo('MicroVMs');
  await vms.clickStop('reload-vm');
  await expect(vms.row('reload-vm')).toContainText('Stopped', { timeout: 30_000 });
  await vms.delete('reload-vm');
});

test('while its host is unreachable a VM is shown as last seen, its actions disabled, with why', async ({ app, page }) => {
  await addHost(page);
  await app.goTo('MicroVMs');
  const vms = new VmsPage(page);
  await vms.createVm('lost-vm');
  await expect(vms.consoleStatus()).toHaveText(/Connected/);

  await host.kill(); // sshd and every session die, the VM does not
  await expect(page.getByRole('alert').filter({ hasText: 'nothing can be done to the microVM until its host answers' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeDisabled();
  await expect(vms.consoleStatus()).toHaveText(/reconnecting/);
  await page.screenshot({ path: test.info().outputPath('vm-page-host-lost.png') });
  await vms.backToList();
  const row = vms.row('lost-vm');
  await expect(row).toContainText('last seen');
  await expect(row).toContainText('kvm box cannot be reached');
  await expect(row.getByRole('button', { name: 'Pause' })).toBeDisabled();
  await expect(row.getByRole('button', { name: 'Stop' })).toBeDisabled();
  await expect(row.getByRole('cell').nth(6)).toHaveText('—'); // no frozen uptime (Uptime is the seventh column)
  await expect(vms.unlistedHosts()).toContainText('kvm box');
  await page.screenshot({ path: test.info().outputPath('vm-list-host-lost.png') });

  await host.start();
  await expect(row).not.toContainText('last seen', { timeout: 20_000 });
  await expect(row.getByRole('button', { name: 'Pause' })).toBeEnabled();
  await vms.openVm('lost-vm');
  await expect(vms.consoleStatus()).toHaveText(/Connected/);
  await vms.backToList();
  await vms.stop('lost-vm');
  await vms.delete('lost-vm');
});

test('after a backend restart, a host that is not connected is named with Connect instead of "No microVMs yet"; a failure is shown on its VM', async ({ app, page, backend, dataDir }) => {
  test.setTimeout(120_000);
  await addHost(page);
  await app.goTo('MicroVMs');
  const vms = new VmsPage(page);
  await vms.createVm('keep-vm');
  await vms.backToList();
  await vms.createVm('hung-vm');
  // hung-vm's Firecracker keeps running, but its API socket now refuses connections.
  const socket = `${runDir('hung-vm')}/api.sock`;
  rmSync(socket);
  execFileSync('perl', ['-MIO::Socket::UNIX', '-e', 'IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0]) or die', socket]);
  execFileSync('chown', [`${user}:${user}`, socket]);

  await host.kill();
  await backend.stop();
  const again = await startWebBackend({ dataDir, env: { HOME: join(dataDir, 'home'), SSH_AUTH_SOCK: '' } });
  try {
    await new AppPage(page).open(again.url);
    await app.goTo('MicroVMs');
    await expect(page.getByText('No microVMs yet')).toBeHidden();
    await expect(vms.unlistedHosts()).toContainText('kvm box');
    await page.screenshot({ path: test.info().outputPath('vm-list-not-connected.png') });

    await host.start();
    await vms.unlistedHosts().getByRole('button', { name: 'Connect kvm box' }).click();
    await expect(vms.row('keep-vm')).toContainText('Running', { timeout: 20_000 });
    await expect(vms.row('hung-vm')).toContainText('Not answering');
    await expect(vms.unlistedHosts()).toBeHidden();

    await vms.openVm('hung-vm');
    await page.getByRole('button', { name: 'Snapshot' }).click();
    const snapshot = page.getByRole('dialog', { name: 'Snapshot hung-vm' });
    await snapshot.getByRole('button', { name: 'Take snapshot' }).click();
    await expect(snapshot.getByRole('alert')).toContainText('refuses connections');
    await snapshot.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Snapshot failed' })).toContainText('refuses connections');
    await page.screenshot({ path: test.info().outputPath('vm-page-error.png') });
    await vms.backToList();
    await expect(vms.row('hung-vm').getByRole('alert')).toContainText('Snapshot failed');
    await page.screenshot({ path: test.info().outputPath('vm-list-error.png') });
    for (const id of ['keep-vm', 'hung-vm']) {
      await vms.stop(id);
      await vms.delete(id);
    }
  } finally {
    await again.stop();
  }
});

test('10 stops clicked in a row on a MaxSessions 2 host all succeed', async ({ app, page }) => {
  test.setTimeout(180_000);
  await addHost(page, narrow, 'narrow box');
  await app.goTo('MicroVMs');
  const vms = new VmsPage(page);
  const ids = Array.from({ length: 10 }, (_, i) => `narrow-${i}`);
  for (const id of ids) {
    await vms.createVm(id);
    await vms.backToList();
  }
  for (const id of ids) await vms.clickStop(id);
  for (const id of ids) await expect(vms.row(id)).toContainText('Stopped', { timeout: 30_000 });
  await expect(vms.table().getByRole('alert')).toHaveCount(0);
  for (const id of ids) await vms.delete(id);
});
