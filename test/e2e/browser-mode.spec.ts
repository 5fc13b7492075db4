import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startWebBackend } from '../support/web-backend';
import { expect, test } from './fixtures';
import { AppPage } from './pages/app-page';

test('after npm run web restarts with a new token, the open tab says why it cannot connect, and pasting the new address brings it back', async ({ app, page, backend, dataDir }) => {
  const settings = await app.openSettings();
  await backend.stop();
  const restarted = await startWebBackend({ dataDir, port: backend.port, env: { HOME: join(dataDir, 'home'), SSH_AUTH_SOCK: '' } });
  try {
    expect(restarted.token).not.toBe(backend.token);
    // The tab reconnects on its own, is refused, and says what happened and what to do.
    await expect(app.alert()).toContainText('refused this tab’s access token');
    await expect(app.alert()).toContainText('The backend was restarted');
    await expect(app.alert()).toContainText('Paste the new address it printed');
    await expect(app.connectionStatus).toHaveText('Access refused');
    await page.screenshot({ path: test.info().outputPath('token-refused.png') });

    // Pasting the new address changes only the fragment: the tab picks up the token.
    await page.goto(restarted.url);
    await expect(app.connectionStatus).toHaveText('Backend connected');
    await expect(app.alert()).toBeHidden();
    await expect(page).not.toHaveURL(/token=/);
    await expect(app.heading()).toHaveText('Settings');
    await settings.fill('Firecracker version', 'v1.13.0');
    await settings.save();
    await settings.expectSaved();
    // And it keeps the new token across a reload.
    await page.reload();
    await expect(app.connectionStatus).toHaveText('Backend connected');
    await expect(settings.field('Firecracker version')).toHaveValue('v1.13.0');
  } finally {
    await restarted.stop();
  }
});

test('the browser npm run web starts gets a one-time link: it connects and stays connected, and the same link works nowhere else', async ({ browser, dataDir }) => {
  // An xdg-open that records what it was handed, as /proc/PID/cmdline would show it to anyone.
  const bin = join(dataDir, 'bin');
  const opened = join(dataDir, 'opened.txt');
  await mkdir(bin);
  await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$0" "$@" >> '${opened}'\n`);
  await chmod(join(bin, 'xdg-open'), 0o755);
  const home = join(dataDir, 'home');
  await mkdir(join(home, '.ssh'), { recursive: true });
  const backend = await startWebBackend({ dataDir, open: true, env: { HOME: home, SSH_AUTH_SOCK: '', PATH: `${bin}:${process.env.PATH}` } });
  const context = await browser.newContext();
  try {
    await expect.poll(() => readFile(opened, 'utf8').catch(() => ''), { timeout: 10_000 }).toContain('#launch=');
    const commandLine = await readFile(opened, 'utf8');
    expect(commandLine).not.toContain(backend.token);
    const launchUrl = commandLine.trim().split('\n').at(-1)!;
    expect(launchUrl).toMatch(new RegExp(`^${backend.origin}/#launch=[\\w-]+$`));

    const app = await new AppPage(await context.newPage()).open(launchUrl);
    await expect(app.page).not.toHaveURL(/launch=/);
    await app.page.reload();
    await expect(app.connectionStatus).toHaveText('Backend connected');

    // Whoever reads the command line later (here: another tab) gets nothing for it.
    const other = await context.newPage();
    await other.goto(launchUrl);
    await expect(other.getByRole('alert')).toContainText('This one-time link was already used');
    await expect(other.getByRole('alert')).toContainText('#token=');
    await expect(new AppPage(other).connectionStatus).toHaveText('Access refused');
  } finally {
    await context.close();
    await backend.stop();
  }
});
