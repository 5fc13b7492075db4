import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureKeyUser, ensureTestUsers, setFakeCommands, startTestHost } from '../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../support/ssh-test-hosts';
import { expect, test } from './fixtures';
import { HostsPage } from './pages/hosts-page';
import { WorkspacesPage } from './pages/workspaces-page';

// The push test's host: its user's python3 (the host's receiver) waits while ~/push-gate exists,
// so a push is still under way when the test clicks Cancel, whatever the machine's speed.
const pushUser = 'fdtest-e2epush';
let users: TestUsers;
let host: TestHost;
test.beforeAll(async () => {
  users = await ensureTestUsers();
  await ensureKeyUser(pushUser);
  await setFakeCommands(pushUser, {
    python3: 'i=0; while [ -e "$HOME/push-gate" ] && [ "$i" -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done; exec /usr/bin/python3 "$@"',
  });
  host = await startTestHost({ address: '127.0.0.121', users: [pushUser] });
});
test.afterAll(async () => {
  await host?.stop();
  await rm(`/home/${pushUser}/.firedeck`, { recursive: true, force: true });
  await rm(`/home/${pushUser}/push-gate`, { force: true });
});

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

test('a user drops files from the desktop into a workspace folder', async ({ app, page, dataDir }) => {
  await app.goTo('Workspaces');
  const workspaces = new WorkspacesPage(page);
  await workspaces.create('demo-4');
  await workspaces.newFolder('dist');
  await workspaces.open('dist');
  // What the OS hands the window on a drop from Finder: a DataTransfer holding File objects.
  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['dropped here\n'], 'dropped.txt', { type: 'text/plain' }));
    transfer.items.add(new File([new Uint8Array(3 * 1024 * 1024 + 5).fill(9)], 'blob.bin')); // more than one chunk
    return transfer;
  });
  const region = page.getByRole('region', { name: 'Files' });
  await region.dispatchEvent('dragover', { dataTransfer });
  await expect(region).toHaveClass(/dropping/); // the folder shows it will take the drop
  await page.screenshot({ path: test.info().outputPath('workspace-drop-over.png') });
  await region.dispatchEvent('drop', { dataTransfer });
  await expect(region).not.toHaveClass(/dropping/);
  await expect(workspaces.files.getByRole('button', { name: 'dropped.txt', exact: true })).toBeVisible();
  await expect(workspaces.files.getByRole('button', { name: 'blob.bin', exact: true })).toBeVisible();
  expect(await readFile(join(dataDir, 'workspaces', 'demo-4', 'dist', 'dropped.txt'), 'utf8')).toBe('dropped here\n');
  expect((await readFile(join(dataDir, 'workspaces', 'demo-4', 'dist', 'blob.bin'))).equals(Buffer.alloc(3 * 1024 * 1024 + 5, 9))).toBe(true);
});

test('a user pushes a file to a host, watches its progress, cancels it, and pushes it again', async ({ app, page }) => {
  await app.goTo('Hosts');
  await new HostsPage(page).addTrustedHost('push box', host, { user: pushUser, keyPath: users.key.keyPath });
  await app.goTo('Workspaces');
  const workspaces = new WorkspacesPage(page);
  await workspaces.create('push-demo');
  const payload = randomBytes(8 * 1024 * 1024);
  await workspaces.upload([{ name: 'payload.bin', mimeType: 'application/octet-stream', buffer: payload }]);
  // A large binary file does not open in the editor, but it is chosen, and Push sends it.
  await workspaces.open('payload.bin');
  await expect(workspaces.error()).toContainText('you can still push it to the host');

  const onHost = `/home/${pushUser}/.firedeck/workspaces/push-demo`;
  const leftOnHost = async () => (existsSync(onHost) ? await readdir(onHost) : []);
  const panel = page.getByRole('region', { name: 'Push to a host' });
  const transfer = panel.getByRole('status', { name: 'Push of payload.bin' });

  await writeFile(`/home/${pushUser}/push-gate`, '');
  await panel.getByRole('button', { name: 'Push payload.bin' }).click();
  await expect(transfer).toContainText('of 8.0 MiB');
  await expect(transfer.getByRole('progressbar')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('workspace-push-progress.png') });
  await transfer.getByRole('button', { name: 'Cancel' }).click();
  await rm(`/home/${pushUser}/push-gate`); // the host's receiver now sees the bytes end early
  await expect(transfer).toContainText('cancelled; nothing of it was left on the host');
  await expect(transfer.getByRole('progressbar')).toHaveCount(0);
  await expect.poll(leftOnHost).toEqual([]);

  await panel.getByRole('button', { name: 'Push payload.bin' }).click();
  await expect(panel.getByText(`payload.bin: pushed to ${onHost}/payload.bin`)).toBeVisible();
  expect(createHash('sha256').update(await readFile(`${onHost}/payload.bin`)).digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
  expect(await leftOnHost()).toEqual(['payload.bin']); // no temp file beside it
  await page.screenshot({ path: test.info().outputPath('workspace-pushed.png') });
});
