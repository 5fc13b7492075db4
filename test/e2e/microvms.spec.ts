import { ensureTestUsers, startTestHost } from '../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../support/ssh-test-hosts';
import { installFirecrackerFor } from '../support/vm-fixtures';
import { expect, test } from './fixtures';
import { HostsPage } from './pages/hosts-page';
import { VmsPage } from './pages/vms-page';

let host: TestHost;
let users: TestUsers;

test.beforeAll(async () => {
  users = await ensureTestUsers();
  await installFirecrackerFor(users.key.name);
  host = await startTestHost({ address: '127.0.0.11' });
});
test.afterAll(async () => {
  await host.stop();
});

test('a new user boots a microVM, watches its console and stops it', async ({ app, page }) => {
  const hosts = new HostsPage(page);
  await hosts.addHost({ name: 'kvm box', address: host.address, port: String(host.port), user: users.key.name, keyPath: users.key.keyPath });
  await hosts.trustKey(await host.fingerprint());
  await expect(page.getByRole('region', { name: 'Host facts' })).toBeVisible();

  await app.goTo('MicroVMs');
  const vms = new VmsPage(page);
  await vms.createVm('e2e-vm');

  // The VM page opens with its live console: the boot log, then the guest's shell.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('e2e-vm');
  await expect(vms.console()).toContainText('login', { timeout: 15_000 });
  await vms.typeInConsole('echo typed-in-the-browser');
  await expect(vms.console()).toContainText('typed-in-the-browser');
  await page.screenshot({ path: test.info().outputPath('vm-console.png') });

  await vms.backToList();
  await expect(vms.row('e2e-vm')).toContainText('Running');
  await page.screenshot({ path: test.info().outputPath('vm-list.png') });
  await vms.stop('e2e-vm');
  await vms.row('e2e-vm').getByRole('button', { name: 'Delete' }).click();
  await vms.row('e2e-vm').getByRole('button', { name: 'Delete' }).click();
  await expect(vms.row('e2e-vm')).toBeHidden({ timeout: 15_000 });
});
