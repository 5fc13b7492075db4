import { expect, test } from './fixtures';

test('picking a theme while a URL is being typed keeps what was typed', async ({ app, page }) => {
  const settings = await app.openSettings();
  await settings.fill('Image catalog URL', 'https://mirror.example/firecracker/');
  await settings.fill('Firecracker version', 'v1.13.0');

  await settings.chooseTheme('Dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(settings.field('Image catalog URL')).toHaveValue('https://mirror.example/firecracker/');
  await expect(settings.field('Firecracker version')).toHaveValue('v1.13.0');

  // The theme choices are one tab stop; arrow keys move and pick.
  await settings.stepTheme('ArrowLeft');
  await expect(settings.themes().getByRole('radio', { name: 'Light' })).toHaveAttribute('aria-checked', 'true');
  await expect(settings.themes().getByRole('radio', { name: 'Light' })).toBeFocused();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await settings.stepTheme('End');
  await expect(settings.themes().getByRole('radio', { name: 'Dark' })).toHaveAttribute('aria-checked', 'true');
  await expect(settings.themes().getByRole('radio', { checked: false })).toHaveCount(2);
  await expect(settings.field('Image catalog URL')).toHaveValue('https://mirror.example/firecracker/');
  await page.screenshot({ path: test.info().outputPath('settings.png') });

  // Saving then stores the typed values, in their normal form.
  await settings.save();
  await settings.expectSaved();
  await expect(settings.field('Image catalog URL')).toHaveValue('https://mirror.example/firecracker');
  await page.reload();
  await expect(settings.field('Image catalog URL')).toHaveValue('https://mirror.example/firecracker');
  await expect(settings.field('Firecracker version')).toHaveValue('v1.13.0');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

test('a URL curl would expand on the host is refused next to its field, with the reason', async ({ app, page }) => {
  const settings = await app.openSettings();
  await settings.fill('Firecracker release URL', 'https://mirror.example/releases/v{1,2}');
  await settings.save();
  const field = settings.field('Firecracker release URL');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Firecracker release URL must not contain [ ] { }: curl on the host would expand them as patterns.')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Settings were not saved' })).toContainText('Correct the fields marked below');
  await page.screenshot({ path: test.info().outputPath('settings-refused.png') });
  // What was typed is still there to correct.
  await expect(field).toHaveValue('https://mirror.example/releases/v{1,2}');
});

test('the jail uid range, its mode and the memory overhead are edited in Settings and kept', async ({ app, page }) => {
  const settings = await app.openSettings();
  await expect(settings.field('First jail uid')).toHaveValue('900000');
  await settings.fill('First jail uid', '500000');
  await settings.fill('Last jail uid', '500099');
  await settings.fill('Memory overhead (MiB)', '96');
  await settings.chooseJailUidMode('One per host');
  await settings.applyJail();
  await expect(settings.jailCard().getByRole('status')).toContainText('Jail settings stored');
  await page.screenshot({ path: test.info().outputPath('settings-jail.png') });

  await page.reload();
  await expect(settings.field('First jail uid')).toHaveValue('500000');
  await expect(settings.field('Last jail uid')).toHaveValue('500099');
  await expect(settings.field('Memory overhead (MiB)')).toHaveValue('96');
  await expect(settings.jailCard().getByRole('radio', { name: 'One per host' })).toHaveAttribute('aria-checked', 'true');
});

test('a jail uid range of fewer than 8 ids is refused next to its field, and nothing is stored', async ({ app, page }) => {
  const settings = await app.openSettings();
  await settings.fill('First jail uid', '500000');
  await settings.fill('Last jail uid', '500003');
  await settings.applyJail();
  await expect(settings.field('Last jail uid')).toHaveAttribute('aria-invalid', 'true');
  await expect(settings.jailCard().getByText('The jail uid range must hold at least 8 ids (500000–500007 at the least).')).toBeVisible();
  await expect(settings.jailCard().getByRole('alert')).toContainText('Jail settings were not saved');
  // The other cards do not claim the refusal.
  await expect(page.getByRole('alert')).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('settings-jail-refused.png') });

  await settings.fill('First jail uid', '9000');
  await settings.fill('Last jail uid', '500099');
  await settings.applyJail();
  await expect(settings.jailCard().getByText('The first jail uid must be 10000 or above')).toBeVisible();
  await expect(settings.field('First jail uid')).toHaveValue('9000');

  await page.reload();
  await expect(settings.field('First jail uid')).toHaveValue('900000');
  await expect(settings.field('Last jail uid')).toHaveValue('999999');
});
