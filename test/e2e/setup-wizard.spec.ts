import { rm } from 'node:fs/promises';
import { ensureKeyUser, startTestHost } from '../support/ssh-test-hosts';
import type { TestHost } from '../support/ssh-test-hosts';
import { startTestMirror } from '../support/test-mirror';
import { arm64KernelHeader, removeVmsOf, x86KernelHeader } from '../support/vm-fixtures';
import type { TestMirror } from '../support/test-mirror';
import { expect, test } from './fixtures';
import { HostsPage } from './pages/hosts-page';

let host: TestHost;
let mirror: TestMirror;
const user = 'fdwiz-e2e';

test.beforeAll(async () => {
  await ensureKeyUser(user);
  await removeVmsOf(user);
  await rm(`/home/${user}/.firedeck`, { recursive: true, force: true }); // a bare host
  [host, mirror] = await Promise.all([startTestHost({ address: '127.0.0.47', users: [user] }), startTestMirror()]);
});
test.afterAll(async () => {
  await host.stop();
  await mirror.stop();
  await removeVmsOf(user); // the first microVM the test booted
});

test('a new user sets up a bare host with the wizard and boots a first microVM', async ({ app }) => {
  const { page } = app;
  test.setTimeout(120_000);
  const settings = await app.openSettings();
  await settings.fill('Firecracker release URL', mirror.releaseBaseUrl);
  await settings.fill('Image catalog URL', mirror.imageBaseUrl);
  await settings.save();
  await settings.expectSaved();

  await app.goTo('Hosts');
  const hosts = new HostsPage(page);
  const { ensureTestUsers } = await import('../support/ssh-test-hosts');
  await hosts.addHost({ name: 'bare box', address: host.address, port: String(host.port), user, keyPath: (await ensureTestUsers()).key.keyPath });
  await hosts.trustKey(await host.fingerprint());

  await page.getByRole('button', { name: 'Set up host' }).click();
  const wizard = page.getByRole('region', { name: 'Host setup' });
  await wizard.getByRole('button', { name: 'Start setup' }).click();
  // One live region speaks for the whole wizard; each step shows its own status as text.
  const progress = wizard.getByRole('status', { name: 'Setup progress' });
  await expect(progress).toHaveText('Setup finished: the host is ready for microVMs.', { timeout: 60_000 });
  await expect(wizard.getByRole('status')).toHaveCount(1);
  await expect(wizard.getByRole('listitem', { name: 'Ready' })).toContainText('Done');
  await expect(wizard.getByRole('listitem', { name: 'Install Firecracker' })).toContainText('SHA-256 verified');
  await page.screenshot({ path: test.info().outputPath('wizard-done.png'), fullPage: true });

  // Again: nothing left to do.
  await wizard.getByRole('button', { name: 'Run setup again' }).click();
  await expect(wizard.getByRole('listitem', { name: 'Install Firecracker' })).toContainText('Already done', { timeout: 30_000 });
  await expect(wizard.getByRole('listitem', { name: 'Kernel and root filesystem' })).toContainText('Already done');
  await expect(progress).toHaveText('Setup finished: the host is ready for microVMs.');

  await wizard.getByRole('button', { name: 'Create and boot a first microVM' }).click();
  await page.getByLabel('Console output').scrollIntoViewIfNeeded(); // xterm draws only what is on screen
  await expect(page.getByLabel('Console output')).toContainText('login', { timeout: 20_000 });
  await page.getByRole('button', { name: '← All microVMs' }).click();
  await expect(page.getByRole('table', { name: 'MicroVMs' })).toContainText('Running');

  // The Images view: what is installed (with checksums), and a catalog where the other
  // architecture's images are shown but not offered.
  await app.goTo('Images');
  const installed = page.getByRole('table', { name: 'Installed images' });
  await expect(installed.getByRole('row', { name: 'vmlinux-6.1.102' })).toContainText(/[0-9a-f]{16}…/);
  await expect(installed.getByRole('row', { name: 'vmlinux-6.1.102' })).toContainText('x86_64');
  const catalog = page.getByRole('table', { name: 'Catalog' });
  await expect(catalog.getByRole('row', { name: 'vmlinux-6.1.102 aarch64' })).toContainText('Built for aarch64; bare box is x86_64');
  await expect(catalog.getByRole('row', { name: 'vmlinux-6.1.102 x86_64' }).getByRole('button', { name: 'Install with the host setup' })).toBeVisible();

  // Importing a local kernel: its architecture is checked, then it is uploaded.
  await page.getByLabel('Import a kernel or rootfs').setInputFiles({ name: 'vmlinux-local', mimeType: 'application/octet-stream', buffer: x86KernelHeader() });
  await expect(installed.getByRole('row', { name: 'vmlinux-local' })).toBeVisible({ timeout: 20_000 });
  await page.getByLabel('Import a kernel or rootfs').setInputFiles({ name: 'arm-image', mimeType: 'application/octet-stream', buffer: arm64KernelHeader() });
  await expect(page.getByRole('status', { name: 'Import of arm-image' })).toContainText('built for aarch64, but this host is x86_64');
  await page.screenshot({ path: test.info().outputPath('images.png'), fullPage: true });
});

test('on a Lima guest the wizard stops at the KVM check and says to use a remote Linux server', async ({ app }) => {
  const { page } = app;
  const lima = 'fdkvm-e2e';
  await ensureKeyUser(lima);
  const guest = await startTestHost({ address: '127.0.0.55', users: [lima], kvm: 'lima' });
  try {
    const hosts = new HostsPage(page);
    const { ensureTestUsers } = await import('../support/ssh-test-hosts');
    await hosts.addHost({ name: 'lima vm', address: guest.address, port: String(guest.port), user: lima, keyPath: (await ensureTestUsers()).key.keyPath });
    await hosts.trustKey(await guest.fingerprint());
    await page.getByRole('button', { name: 'Set up host' }).click();
    const wizard = page.getByRole('region', { name: 'Host setup' });
    await wizard.getByRole('button', { name: 'Start setup' }).click();
    const probe = wizard.getByRole('listitem', { name: 'Check architecture, OS and KVM' });
    await expect(probe).toContainText('Failed');
    await expect(wizard.getByRole('status', { name: 'Setup progress' })).toContainText('Check architecture, OS and KVM: Failed.');
    await expect(probe.getByRole('alert')).toContainText('ENODEV');
    await expect(probe.getByRole('alert')).toContainText('Use a remote Linux server');
    await expect(wizard.getByRole('listitem', { name: 'Install Firecracker' })).toContainText('Waiting');
  } finally {
    await guest.stop();
  }
});
