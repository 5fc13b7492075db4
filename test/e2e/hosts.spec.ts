import { ensureTestUsers, startTestHost } from '../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../support/ssh-test-hosts';
import { expect, test } from './fixtures';
import { HostsPage } from './pages/hosts-page';

let host: TestHost;
let rekeyed: TestHost;
let users: TestUsers;

test.beforeAll(async () => {
  users = await ensureTestUsers();
  [host, rekeyed] = await Promise.all([startTestHost({ address: '127.0.0.4' }), startTestHost({ address: '127.0.0.76' })]);
});
test.afterAll(async () => {
  await Promise.all([host.stop(), rekeyed.stop()]);
});

test('a new user adds a host, trusts its key, and sees its probe', async ({ app }) => {
  const { page } = app;
  const hosts = new HostsPage(page);
  await hosts.addHost({ name: 'lab box', address: host.address, port: String(host.port), user: users.key.name, keyPath: users.key.keyPath });
  await hosts.trustKey(await host.fingerprint());

  // The details page shows the probe: architecture and the KVM verdict with its remedy.
  const facts = page.getByRole('region', { name: 'Host facts' });
  await expect(facts.getByRole('definition').first()).toHaveText('x86_64');
  const kvm = facts.getByRole('status', { name: 'KVM' });
  await expect(kvm).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('host-details.png') });

  await hosts.backToList();
  const row = hosts.row('lab box');
  await expect(row).toContainText('Connected');
  await expect(row).toContainText('x86_64');
  await expect(row.locator('.badge')).toHaveText(/KVM ready|No KVM access|No virtualization|No \/dev\/kvm/);
  await page.screenshot({ path: test.info().outputPath('host-list.png') });
});

test('the form says what is wrong next to each field', async ({ app }) => {
  const { page } = app;
  const hosts = new HostsPage(page);
  const form = await hosts.openAddForm();
  await hosts.fillForm(form, { name: 'broken', address: 'bad host!', port: '70000', user: 'me; rm -rf ~', keyPath: '/nonexistent/id_ed25519' });
  await hosts.submit(form);
  await expect(form.getByText('Enter a host name or IP address')).toBeVisible();
  await expect(form.getByText('Port must be a whole number from 1 to 65535.')).toBeVisible();
  await expect(form.getByText('A user name has 1 to 32 letters')).toBeVisible();
  await expect(form.getByLabel('Address', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  // With the rest fixed, the missing key file is named next to its field.
  await hosts.fillForm(form, { name: 'broken', address: host.address, port: String(host.port), user: users.key.name, keyPath: '/nonexistent/id_ed25519' });
  await hosts.submit(form);
  await expect(form.getByText('There is no file at /nonexistent/id_ed25519.')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('host-form-errors.png') });
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('region', { name: 'No hosts yet' })).toBeVisible();
});

test('the list shows a host dropping and coming back', async ({ app }) => {
  const { page } = app;
  const hosts = new HostsPage(page);
  await hosts.addHost({ name: 'flaky', address: host.address, port: String(host.port), user: users.password.name, password: true });
  // Key first, as OpenSSH does; then the password.
  await hosts.trustKey(await host.fingerprint());
  const prompt = hosts.dialog(/^Password for /);
  await prompt.getByLabel('Password', { exact: true }).fill('wrong password');
  await prompt.getByRole('button', { name: 'Connect' }).click();
  await expect(hosts.dialog(/^Password for /).getByRole('alert')).toContainText('did not accept the password');
  await hosts.dialog(/^Password for /).getByLabel('Password', { exact: true }).fill(users.password.password);
  await hosts.dialog(/^Password for /).getByRole('button', { name: 'Connect' }).click();
  await hosts.backToList();
  const row = hosts.row('flaky');
  await expect(row).toContainText('Connected');

  await host.kill();
  await expect(row).toContainText('Reconnecting');
  await host.start();
  await expect(row).toContainText('Connected', { timeout: 20_000 });
});

test('the changed-key dialog shows the whole fingerprint, even one with no + or / to wrap at', async ({ app }) => {
  const { page } = app;
  const hosts = new HostsPage(page);
  await hosts.addHost({ name: 'reinstalled', address: rekeyed.address, port: String(rekeyed.port), user: users.key.name, keyPath: users.key.keyPath });
  const trusted = await rekeyed.fingerprint();
  await hosts.trustKey(trusted);
  await hosts.disconnect();
  // A new host key whose fingerprint is letters and digits only: one long word. Always a new
  // one: the key trusted above may be such a key already (a quarter of ed25519 keys are, and
  // the previous repeat leaves one), and then there is no changed key to show.
  let fingerprint = trusted;
  for (let i = 0; i < 60 && (fingerprint === trusted || /[+/]/.test(fingerprint)); i++) {
    await rekeyed.replaceHostKey();
    fingerprint = await rekeyed.fingerprint();
  }
  expect(fingerprint).not.toBe(trusted);
  expect(fingerprint).not.toMatch(/[+/]/);

  await hosts.connect();
  const dialog = hosts.dialog(/host key of .* has changed/);
  await expect(dialog).toBeVisible();
  const shown = dialog.locator('.fingerprint').first();
  await expect(shown).toHaveText(fingerprint);
  // Nothing is cut off at the dialog's edge, and nothing needs scrolling sideways to be read.
  const body = dialog.locator('.dialog-body');
  for (const part of [shown, dialog.getByText(/has changed: it now presents/), dialog.getByText(/Do not connect until/)]) expect(await hosts.fitsWithin(part, body)).toBe(true);
  await page.screenshot({ path: test.info().outputPath('host-key-changed.png') });
  await dialog.getByRole('button', { name: 'Do not connect' }).click();
});
