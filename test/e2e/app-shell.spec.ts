import { writeFile } from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startWebBackend } from '../support/web-backend';
import { expect, test } from './fixtures';
import { AppPage } from './pages/app-page';

test('a new user sees the shell, the next step on every view, and can move around', async ({ app, page }) => {
  // The access token is taken out of the address bar once the page has it.
  await expect(page).not.toHaveURL(/token=/);
  await expect(app.heading()).toHaveText('Hosts');
  await expect(page.getByRole('region', { name: 'No hosts yet' })).toContainText('Linux machine with KVM');

  await app.goTo('MicroVMs');
  await expect(page.getByRole('region', { name: 'No microVMs yet' })).toBeVisible();
  await app.goTo('Images');
  await expect(page.getByRole('region', { name: 'No connected host' })).toContainText('architecture');
  await app.goTo('Workspaces');
  await expect(page.getByRole('region', { name: 'No workspaces yet' })).toBeVisible();

  // Empty states lead to the next step.
  await app.goTo('MicroVMs');
  await page.getByRole('button', { name: 'Add a host first' }).click();
  await expect(app.heading()).toHaveText('Hosts');

  // The view survives a reload and back/forward.
  await app.goTo('Images');
  await page.reload();
  await expect(app.heading()).toHaveText('Images');
  await expect(app.connectionStatus).toHaveText('Backend connected');
  await page.goBack();
  await expect(app.heading()).toHaveText('Hosts');
});

test('a malformed request gets INVALID_INPUT naming the field, and the app keeps working', async ({ app, page }) => {
  // What a compromised renderer could send, over the page's own authenticated bridge.
  const answers = await page.evaluate(async () => {
    const token = sessionStorage.getItem('firedeck.bridgeToken');
    const ws = new WebSocket(`ws://${location.host}/bridge?token=${token}`);
    await new Promise((resolve) => (ws.onopen = resolve));
    const replies: unknown[] = [];
    const done = new Promise<void>((resolve) => {
      ws.onmessage = (message) => {
        const parsed = JSON.parse(message.data);
        if (parsed.type === 'result') replies.push(parsed);
        if (replies.length === 3) resolve();
      };
    });
    ws.send('{"type":"invoke","id":');
    ws.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'settings.update', input: { firecrackerReleaseBaseUrl: 42 } }));
    ws.send(JSON.stringify({ type: 'invoke', id: 3, channel: 'settings.update', input: { imageBaseUrl: 'file:///etc/passwd' } }));
    await done;
    ws.close();
    return replies;
  });
  expect(answers).toEqual([
    expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'INVALID_INPUT' }) }),
    expect.objectContaining({ id: 2, ok: false, error: expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('firecrackerReleaseBaseUrl') }) }),
    expect.objectContaining({ id: 3, ok: false, error: expect.objectContaining({ code: 'INVALID_INPUT', message: expect.stringContaining('imageBaseUrl') }) }),
  ]);

  // The same validation, met through the form: the message sits next to its field.
  const settings = await app.openSettings();
  await settings.fill('Image catalog URL', 'ftp://mirror.example');
  await settings.save();
  await expect(page.getByText('Image catalog URL must be an http:// or https:// URL')).toBeVisible();
  await expect(settings.field('Image catalog URL')).toHaveAttribute('aria-invalid', 'true');

  // Nothing was changed by the bad requests, and a good one still goes through and persists.
  await settings.fill('Image catalog URL', 'https://mirror.example/firecracker/');
  await settings.save();
  await settings.expectSaved();
  await page.reload();
  await expect(settings.field('Image catalog URL')).toHaveValue('https://mirror.example/firecracker');
  await expect(settings.field('Firecracker release URL')).toHaveValue(/^https:\/\/github\.com\//);
});

test('the bridge refuses connections without the right token', async ({ app, page, backend }) => {
  // A browser cannot read the status of a refused upgrade, so the bridge closes the socket with
  // a code instead; nothing is ever answered on it.
  const outcomes = await page.evaluate(async () => {
    const attempt = (query: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/bridge${query}`);
        let messages = 0;
        ws.onmessage = () => (messages += 1);
        ws.onopen = () => ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'app.getInfo' }));
        ws.onclose = (event) => resolve(`closed ${event.code} after ${messages} messages`);
      });
    return [await attempt(''), await attempt('?token=wrong'), await attempt(`?token=${'A'.repeat(43)}`)];
  });
  expect(outcomes).toEqual(Array(3).fill('closed 4401 after 0 messages'));
  await expect(app.connectionStatus).toHaveText('Backend connected');

  // A tab opened without the token says what to do instead of failing silently.
  const stranger = await page.context().newPage();
  await stranger.goto(backend.origin);
  await expect(stranger.getByRole('alert')).toContainText('opened without its access token');
  await expect(stranger.getByRole('alert')).toContainText('#token=');
});

test('when the backend stops, the UI says so and refuses to pretend work was done', async ({ app, page, backend }) => {
  const settings = await app.openSettings();
  await backend.stop();
  await expect(app.alert()).toContainText('Lost connection to the Firedeck backend');
  await expect(app.connectionStatus).toHaveText('Reconnecting…');

  await settings.fill('Firecracker version', 'v1.13.0');
  await settings.save();
  await expect(page.getByRole('alert').filter({ hasText: 'Settings were not saved' })).toContainText('not reachable');
});

test('the window follows the system theme until the user picks one', async ({ browser, backend }) => {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const app = await new AppPage(await context.newPage()).open(backend.url);
  const html = app.page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const settings = await app.openSettings();
  await settings.chooseTheme('Light');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await app.page.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await context.close();
});

test('an unreadable settings file is kept as a backup and reported, not lost', async ({ page, dataDir }) => {
  const garbage = '{"schemaVersion": 1, "data": {"theme": ';
  await writeFile(join(dataDir, 'settings.json'), garbage);
  const backend = await startWebBackend({ dataDir });
  try {
    const app = await new AppPage(page).open(backend.url);
    const backups = (await readdir(dataDir)).filter((name) => name.startsWith('settings.corrupt-'));
    expect(backups).toHaveLength(1);
    const notice = page.getByRole('status').filter({ hasText: 'could not be read' });
    await expect(notice).toContainText(backups[0]!);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toBeHidden();
    await app.goTo('Settings');
    await expect(page.getByLabel('Firecracker version', { exact: true })).toHaveValue('v1.12.0');
  } finally {
    await backend.stop();
  }
});
