import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureKeyUser, ensureTestUsers, startTestHost } from '../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../support/ssh-test-hosts';
import { installFirecrackerFor } from '../support/vm-fixtures';
import { expect, test } from './fixtures';
import { HostsPage } from './pages/hosts-page';
import { VmsPage } from './pages/vms-page';

// A test user of this spec's own: installFirecrackerFor kills its processes first.
const user = 'fdvm-snap-e2e';
let host: TestHost;
let users: TestUsers;
const runDir = (id: string) => `/home/${user}/.firedeck/vms/${id}`;

test.beforeAll(async () => {
  users = await ensureTestUsers();
  await ensureKeyUser(user);
  await installFirecrackerFor(user);
  host = await startTestHost({ address: '127.0.0.112', users: [user] });
});
test.afterAll(async () => {
  await host.stop();
  try {
    execFileSync('pkill', ['-9', '-u', user, '-f', 'firedeck/vms/'], { stdio: 'ignore' });
  } catch {
    // nothing left
  }
});

test('a microVM gets a disk of its own, shown with its image; a named snapshot is listed, restored as a new VM and rolled back', async ({ app, page }) => {
  await new HostsPage(page).addTrustedHost('disk box', host, { user, keyPath: users.key.keyPath });
  await app.goTo('MicroVMs');
  const vms = new VmsPage(page);

  await page.getByRole('button', { name: 'New microVM' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New microVM' });
  await dialog.getByLabel('Id', { exact: true }).fill('disk-a');
  await expect(dialog.getByLabel('Disk size (MiB)')).toHaveAttribute('placeholder', '1025');
  await expect(dialog.getByText('boots its own copy of rootfs-ubuntu-22.04.ext4')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('new-vm-disk.png') });
  await dialog.getByRole('button', { name: 'Create and boot' }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
  expect(existsSync(`${runDir('disk-a')}/rootfs.ext4`)).toBe(true);

  // The page shows the image and the disk; the list too.
  await expect(page.getByRole('region', { name: 'Configuration' })).toContainText('rootfs-ubuntu-22.04.ext4');
  await expect(page.getByRole('region', { name: 'Configuration' })).toContainText('1.00 GiB');
  await expect(page.getByRole('region', { name: 'Snapshots' })).toContainText('No snapshot yet');

  await page.getByRole('button', { name: 'Snapshot', exact: true }).click();
  const snap = page.getByRole('dialog', { name: 'Snapshot disk-a' });
  await snap.getByLabel('Snapshot name (optional)').fill('before-change');
  await snap.getByRole('button', { name: 'Take snapshot' }).click();
  await expect(snap.getByRole('region', { name: 'Snapshot taken' })).toContainText('before-change', { timeout: 30_000 });
  await page.screenshot({ path: test.info().outputPath('snapshot-taken.png') });
  await snap.getByRole('button', { name: 'Done' }).click();

  const listed = page.getByRole('region', { name: 'Snapshots' }).getByRole('listitem', { name: 'before-change' });
  await expect(listed).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('vm-page-snapshots.png'), fullPage: true });

  await listed.getByRole('button', { name: 'Roll back' }).click();
  await listed.getByRole('button', { name: 'Roll back' }).click(); // the confirmation
  await expect(listed.getByRole('button', { name: 'Roll back' })).toBeEnabled({ timeout: 30_000 });

  await listed.getByRole('button', { name: 'Restore as new VM' }).click();
  await expect(listed.getByLabel('New microVM id')).toHaveValue('disk-a-before-change');
  await listed.getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('disk-a-before-change', { timeout: 30_000 });
  expect(existsSync(`${runDir('disk-a-before-change')}/rootfs.ext4`)).toBe(true);

  await vms.backToList();
  await expect(vms.row('disk-a')).toContainText('rootfs-ubuntu-22.04.ext4');
  await expect(vms.row('disk-a-before-change')).toContainText('Running');
  await page.screenshot({ path: test.info().outputPath('vm-list-disks.png') });

  await app.goTo('Images');
  await expect(page.getByRole('table', { name: 'Installed images' })).toContainText('disk-a, disk-a-before-change');
  await expect(page.getByRole('table', { name: 'Installed images' })).toContainText('deleting the image does not harm them');
  await page.screenshot({ path: test.info().outputPath('images-used-by.png'), fullPage: true });
});
