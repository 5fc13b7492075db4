import { readFile, readdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { WorkspacesPage } from './pages/workspaces-page';

test('a user creates, edits and deletes a workspace file', async ({ app, page, dataDir }) => {
  await app.goTo('Workspaces');
  const workspaces = new WorkspacesPage(page);
  await workspaces.create('demo-1');
  await workspaces.newFile('notes.md');
  await workspaces.write('# Plan\nboot the VM\n');
  expect(await readFile(join(dataDir, 'workspaces', 'demo-1', 'notes.md'), 'utf8')).toBe('# Plan\nboot the VM\n');

  // It is still there after a reload.
  await page.reload();
  await page.getByRole('complementary', { name: 'Workspaces' }).getByRole('button', { name: 'demo-1' }).click();
  await workspaces.open('notes.md');
  await expect(workspaces.editor()).toHaveValue('# Plan\nboot the VM\n');
  await page.screenshot({ path: test.info().outputPath('workspace.png') });

  await workspaces.delete('notes.md');
  expect(await readdir(join(dataDir, 'workspaces', 'demo-1'))).toEqual([]);
});

test('a workspace id that Firecracker would reject is refused with the rule', async ({ app, page }) => {
  await app.goTo('Workspaces');
  await page.getByLabel('New workspace').fill('a;rm -rf ~');
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page.getByText("An id has 1 to 64 letters, digits or '-'")).toBeVisible();
});

test('escapes over IPC and through a symlink get a clear error and change nothing', async ({ app, page, dataDir }) => {
  await app.goTo('Workspaces');
  const workspaces = new WorkspacesPage(page);
  await workspaces.create('demo-2');
  const passwd = await readFile('/etc/passwd', 'utf8');

  // A compromised renderer asking for files outside the workspace.
  const answers = await page.evaluate(async () => {
    const ws = new WebSocket(`ws://${location.host}/bridge?token=${sessionStorage.getItem('firedeck.bridgeToken')}`);
    await new Promise((resolve) => (ws.onopen = resolve));
    const replies: { id: number; ok: boolean; error?: { code: string; message: string } }[] = [];
    const done = new Promise<void>((resolve) => {
      ws.onmessage = (m) => {
        const parsed = JSON.parse(m.data);
        if (parsed.type === 'result') replies.push(parsed);
        if (replies.length === 2) resolve();
      };
    });
    ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'workspaces.readFile', input: { workspaceId: 'demo-2', path: '../../etc/passwd' } }));
    ws.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'workspaces.writeFile', input: { workspaceId: 'demo-2', path: '../../../../etc/passwd', content: 'pwned' } }));
    await done;
    ws.close();
    return replies.sort((a, b) => a.id - b.id);
  });
  for (const answer of answers) expect(answer).toMatchObject({ ok: false, error: { code: 'JAIL_ESCAPE', message: expect.stringContaining('outside the workspace') } });
  expect(await readFile('/etc/passwd', 'utf8')).toBe(passwd);

  // A link planted in the folder that points out of it.
  await symlink('/etc', join(dataDir, 'workspaces', 'demo-2', 'etc-link'));
  await page.getByRole('complementary', { name: 'Workspaces' }).getByRole('button', { name: 'demo-2' }).click();
  await workspaces.open('etc-link');
  await expect(workspaces.error()).toContainText('leads outside the workspace');
  await page.screenshot({ path: test.info().outputPath('workspace-escape.png') });
});

test('a keyboard user copies files into a workspace with the Upload files button', async ({ app, page, dataDir }) => {
  await app.goTo('Workspaces');
  const workspaces = new WorkspacesPage(page);
  await workspaces.create('demo-3');
  await workspaces.newFile('notes.md');
  await workspaces.open('notes.md');

  // Reached from the keyboard: Tab from the toolbar's New folder button, then Enter.
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'New folder' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Upload files…' })).toBeFocused();
  await page.keyboard.press('Enter');
  const picker = await chooser;
  expect(picker.isMultiple()).toBe(true);
  const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7); // more than one upload chunk
  await picker.setFiles([
    { name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from the picker\n') },
    { name: 'disk.img', mimeType: 'application/octet-stream', buffer: big },
  ]);
  await expect(workspaces.files.getByRole('button', { name: 'hello.txt', exact: true })).toBeVisible();
  await expect(workspaces.files.getByRole('button', { name: 'disk.img', exact: true })).toBeVisible();
  expect(await readFile(join(dataDir, 'workspaces', 'demo-3', 'hello.txt'), 'utf8')).toBe('hello from the picker\n');
  expect((await readFile(join(dataDir, 'workspaces', 'demo-3', 'disk.img'))).equals(big)).toBe(true);

  // The same file again, after changing it: picked a second time, it is copied again.
  await workspaces.upload([{ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('second copy\n') }]);
  await expect.poll(() => readFile(join(dataDir, 'workspaces', 'demo-3', 'hello.txt'), 'utf8')).toBe('second copy\n');
  await page.screenshot({ path: test.info().outputPath('workspace-upload.png') });
});
