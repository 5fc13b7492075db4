import { ensureKeyUser, ensureTestUsers } from '../support/ssh-test-hosts';
import { startSudoRig } from '../support/netns-hosts';
import type { NetnsRig } from '../support/netns-hosts';
import { installFirecrackerFor, removeVmsOf } from '../support/vm-fixtures';
import { expect, test } from './fixtures';
import { HostsPage } from './pages/hosts-page';
import { VmsPage } from './pages/vms-page';

// A host in a network namespace of its own (VM networks never touch this machine's), whose
// user's sudo asks for a password, as on most real hosts.
const user = 'fdnet-e2e';
const SUDO_PASSWORD = 'Fd-e2e-sudo-7';
let rig: NetnsRig;

test.beforeAll(async () => {
  await ensureKeyUser(user);
  await installFirecrackerFor(user);
  const { execFileSync } = await import('node:child_process');
  execFileSync('chpasswd', { input: `${user}:${SUDO_PASSWORD}\n` });
  rig = await startSudoRig('nete2e', { address: '127.0.0.74', users: [user], sudoers: `${user} ALL=(ALL) ALL\n` });
});
test.afterAll(async () => {
  await removeVmsOf(user);
  await rig?.stop();
});

test('a new user installs the network helper from the setup, after reading it, and a microVM with default settings gets a network', async ({ app }) => {
  const { page } = app;
  test.setTimeout(120_000);
  await app.goTo('Hosts');
  const hosts = new HostsPage(page);
  await hosts.addTrustedHost('net box', rig.host, { user, keyPath: (await ensureTestUsers()).key.keyPath });

  // Before the helper: the create dialog says the VM would start without a network.
  await app.goTo('MicroVMs');
  await page.getByRole('button', { name: 'New microVM' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New microVM' });
  await expect(dialog.getByLabel('Give the microVM a network')).toBeChecked();
  await expect(dialog.getByRole('note')).toContainText('without a network');
  await dialog.getByRole('note').scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('create-without-helper.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await app.nav.getByRole('button', { name: 'Hosts' }).click(); // the host's page stays open
  await page.getByRole('button', { name: 'Set up host' }).click();
  const step = page.getByRole('region', { name: 'Network helper' });
  await expect(step).toContainText('Not installed');
  await expect(step.getByLabel('Sudoers rule')).toHaveText(`${user} ALL=(root) NOPASSWD: /usr/local/libexec/firedeck/firedeck-helper`);
  await step.getByText('What runs as root').click();
  await expect(step.getByLabel('Helper script')).toContainText('firedeck-helper — the one program Firedeck runs as root');
  await step.getByRole('button', { name: 'Install helper' }).click();
  // sudo asks for a password: the app asks for it, and offers no storing in browser mode.
  const sudo = step.getByRole('form', { name: 'sudo password' });
  await expect(sudo).toContainText('asks for a password');
  await expect(sudo).toContainText('Not stored');
  await page.screenshot({ path: test.info().outputPath('helper-step.png'), fullPage: true });
  await sudo.getByLabel(/sudo password of/).fill(SUDO_PASSWORD);
  await sudo.getByRole('button', { name: 'Install with sudo' }).click();
  await expect(step).toContainText('Installed and verified', { timeout: 30_000 });

  const vms = new VmsPage(page);
  await app.goTo('MicroVMs');
  await vms.createVm('net-e2e'); // lands on the VM's page
  const card = page.getByRole('region', { name: 'Guest network' });
  await expect(card).toContainText('10.231.0.2');
  await expect(card).toContainText('172.16.0.2');
  await page.screenshot({ path: test.info().outputPath('vm-network.png'), fullPage: true });

  await app.nav.getByRole('button', { name: 'Hosts' }).click(); // the host's page stays open
  const panel = page.getByRole('region', { name: 'MicroVM networks' });
  await expect(panel.getByRole('table', { name: 'MicroVM networks' })).toContainText('net-e2e');
  await expect(panel).toContainText('verified');
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('host-networks.png'), fullPage: true });

  // Settings: a pool that collides with the host's own routes is refused.
  await app.openSettings();
  const pool = page.getByLabel('Address pool for microVM networks');
  await pool.fill('10.252.0.0/16');
  await page.getByRole('button', { name: 'Use this pool' }).click();
  await expect(page.getByRole('form', { name: 'Network', exact: true })).toContainText('overlaps routes of net box');
  await page.screenshot({ path: test.info().outputPath('settings-pool.png'), fullPage: true });
  await pool.fill('10.232.0.0/16');
  await page.getByRole('button', { name: 'Use this pool' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Pool in use' })).toBeVisible();
});
