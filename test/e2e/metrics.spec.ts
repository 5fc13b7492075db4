import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startSudoRig } from '../support/netns-hosts';
import type { NetnsRig } from '../support/netns-hosts';
import { ensureKeyUser, ensureTestUsers } from '../support/ssh-test-hosts';
import type { TestHost, TestUsers } from '../support/ssh-test-hosts';
import { installFirecrackerFor } from '../support/vm-fixtures';
import { expect, test } from './fixtures';
import { HostsPage } from './pages/hosts-page';
import { VmsPage } from './pages/vms-page';

// A test user of this spec's own: installFirecrackerFor kills its processes first.
const user = 'fdmet-e2e';
/** The backend's sampling interval (browser mode's default). */
const INTERVAL_MS = 3_000;
/** CPU above this reads as the spin: an idle script guest uses 0–2 %, and on a machine this busy the spinning process may get a fifth of a core. */
const BUSY_CPU_PCT = 10;
// The host lives in a network namespace of its own, so the VM's network (made by the privileged
// helper, installed from the setup as a user would) never touches this machine's.
let rig: NetnsRig;
let host: TestHost;
let users: TestUsers;

test.beforeAll(async () => {
  users = await ensureTestUsers();
  await ensureKeyUser(user);
  await installFirecrackerFor(user);
  // Passwordless sudo, so the helper installs without a prompt (the network spec covers the prompt).
  rig = await startSudoRig('mete2e', { address: '127.0.0.171', users: [user], sudoers: `${user} ALL=(ALL) NOPASSWD: ALL\n` });
  host = rig.host;
});
test.afterAll(async () => {
  for (const command of [['pkill', '-9', '-u', user, '-f', 'firedeck/vms/']]) {
    try {
      execFileSync(command[0]!, command.slice(1), { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  await rig?.stop();
});

/** Content-Security-Policy violations and console errors of the page, collected as they happen. */
function watchPage(page: Page): { problems: string[] } {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { problems };
}

async function addHost(page: Page): Promise<void> {
  await new HostsPage(page).addTrustedHost('kvm box', host, { user, keyPath: users.key.keyPath });
}

/** Installs the privileged helper from the host's setup, so new VMs get a network. */
async function installHelper(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Set up host' }).click();
  const step = page.getByRole('region', { name: 'Network helper' });
  await step.getByRole('button', { name: 'Install helper' }).click();
  await expect(step).toContainText('Installed and verified', { timeout: 30_000 });
}

async function createVm(page: Page, id: string): Promise<void> {
  await page.getByRole('button', { name: 'New microVM' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'New microVM' });
  await dialog.getByLabel('Id', { exact: true }).fill(id);
  await expect(dialog.getByLabel('Kernel')).toContainText('vmlinux');
  await dialog.getByRole('button', { name: 'Create and boot' }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
}

/** Saves a screenshot in the test's output, and in FIREDECK_SCREENS_DIR when set (for review by eye). */
async function shot(page: Page, name: string): Promise<void> {
  const path = test.info().outputPath(`${name}.png`);
  // The app scrolls inside its main pane, so a full-page shot is the window made as tall as that pane's content.
  const height = await page.evaluate(() => Math.max(...[...document.querySelectorAll('main, main *')].map((el) => el.scrollHeight)));
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ width: viewport.width, height: Math.min(3000, Math.max(viewport.height, height + 40)) });
  await page.screenshot({ path });
  await page.setViewportSize(viewport);
  const dir = process.env.FIREDECK_SCREENS_DIR;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    copyFileSync(path, join(dir, `${name}.png`));
  }
}

/** A number of the text `CPU 97 %`, `write 2.1 MB/s`: the figure a user reads. */
const figure = (text: string | null, pattern: RegExp) => Number(pattern.exec(text ?? '')?.[1] ?? NaN);

test('a VM under load shows it in its sparkline and charts; the host page shows its share; light and dark', async ({ app, page }) => {
  test.setTimeout(180_000);
  const watched = watchPage(page);
  // Browser mode serves the app under its Content-Security-Policy: uPlot must draw within it.
  const csp = (await page.request.get(new URL('/', page.url()).href)).headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self'");
  await addHost(page);
  await installHelper(page);
  await app.goTo('MicroVMs');
  const vms = new VmsPage(page);
  await createVm(page, 'busy-vm');
  await vms.console().scrollIntoViewIfNeeded(); // xterm draws only what is on screen
  await expect(vms.console()).toContainText('login', { timeout: 15_000 });
  await vms.backToList();
  await createVm(page, 'idle-vm');
  await vms.console().scrollIntoViewIfNeeded(); // xterm draws only what is on screen
  await expect(vms.console()).toContainText('login', { timeout: 15_000 });

  // The boot timing is on the VM page: Create → InstanceStart, then InstanceStart → login prompt.
  await expect(page.getByText(/Booted: .* from Create to start, then .* to the login prompt/)).toBeVisible({ timeout: 15_000 });
  await vms.backToList();

  const busy = vms.row('busy-vm');
  const cpuSpark = busy.getByRole('img', { name: /^CPU / });
  await expect(cpuSpark).toHaveAccessibleName(/^CPU \d/, { timeout: 2 * INTERVAL_MS + 5_000 });
  const before = figure(await cpuSpark.getAttribute('aria-label'), /CPU ([\d.]+)/);
  expect(before).toBeLessThan(BUSY_CPU_PCT);

  // The guest spins a vCPU, writes 64 MiB to its disk and pings the host through its network (tap0 in its namespace, 172.16.0.1).
  await vms.openVm('busy-vm');
  await expect(vms.consoleStatus()).toHaveText(/Connected/);
  await vms.typeInConsole('yes > /dev/null &');
  await expect(vms.console()).toContainText('[1]');
  await vms.backToList();
  // Within two intervals of the spin starting, the sparkline says so: one core is 100 %, of which a
  // machine shared with other work gives the spinning process a good part, never the idle 0–2 %.
  await expect.poll(async () => figure(await cpuSpark.getAttribute('aria-label'), /CPU ([\d.]+)/), { timeout: 2 * INTERVAL_MS + 2_000 }).toBeGreaterThan(BUSY_CPU_PCT);
  await expect(vms.row('idle-vm').getByRole('img', { name: /^CPU / })).toHaveAccessibleName(/^CPU \d(\.\d)? %/);
  await expect(busy.getByRole('img', { name: /^Memory \d/ })).toBeVisible();

  await vms.openVm('busy-vm');
  await vms.typeInConsole('ping -c 60 -i 0.2 -s 1400 172.16.0.1 &');
  await vms.typeInConsole('dd if=/dev/zero of=/root/load bs=1M count=64');
  await expect(vms.console()).toContainText('67108864 bytes');
  const tile = (name: string) => page.getByRole('region', { name: 'Metrics', exact: true }).getByRole('region', { name, exact: true });
  await expect.poll(async () => figure(await tile('CPU').locator('.metric-value').textContent(), /([\d.]+) %/), { timeout: 2 * INTERVAL_MS + 2_000 }).toBeGreaterThan(BUSY_CPU_PCT);
  await expect(tile('Disk').locator('.metric-value')).toHaveText(/write [\d.]+ [KMG]iB\/s/, { timeout: 2 * INTERVAL_MS + 2_000 });
  await expect(tile('Network').locator('.metric-value')).toHaveText(/out (?!0 B)[\d.]+ ([KMG]i)?B\/s/, { timeout: 2 * INTERVAL_MS + 2_000 });
  await expect(page.getByRole('img', { name: 'CPU of busy-vm, percent of one core' }).locator('canvas')).toBeVisible();

  await shot(page, 'vm-page-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'vm-page-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await vms.backToList();
  await shot(page, 'vm-list-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'vm-list-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  // The host page: the host's load, memory and disk, its VMs' share, and their boot times.
  // The Hosts view still shows the host it last opened.
  await app.nav.getByRole('button', { name: 'Hosts' }).click();
  await expect(app.heading()).toHaveText('kvm box');
  const hostPanel = page.getByRole('region', { name: 'Host metrics' });
  await expect(hostPanel).toBeVisible();
  await expect(hostPanel.getByRole('region', { name: 'Boot times' })).toContainText(/Median.*to start.*to the login prompt \(2 microVMs\)/);
  await expect(hostPanel.getByRole('region', { name: 'CPU', exact: true }).locator('.metric-value')).toHaveText(/microVMs [\d.]+ %/);
  await shot(page, 'host-page-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'host-page-dark');
  expect(watched.problems).toEqual([]);
});

test('a killed VM raises a notification with its last console lines; a host lost and back is told too', async ({ app, page }) => {
  test.setTimeout(120_000);
  await addHost(page);
  await app.goTo('MicroVMs');
  const vms = new VmsPage(page);
  await createVm(page, 'doomed-vm');
  await expect(vms.consoleStatus()).toHaveText(/Connected/);
  await vms.typeInConsole('echo the-last-words-of-doomed-vm');
  await expect(vms.console()).toContainText('the-last-words-of-doomed-vm');
  await vms.backToList();

  // Firecracker dies as an OOM kill or a crash would: SIGKILL, nobody asked for a stop.
  const pid = readFileSync(`/home/${user}/.firedeck/vms/doomed-vm/firecracker.pid`, 'utf8').trim();
  process.kill(Number(pid), 'SIGKILL');
  const toasts = page.getByRole('region', { name: 'Notifications' });
  const exited = toasts.getByRole('alert').filter({ hasText: 'doomed-vm exited' });
  await expect(exited).toBeVisible({ timeout: 20_000 });
  await expect(exited.locator('.toast-lines')).toContainText('the-last-words-of-doomed-vm');
  await expect(vms.row('doomed-vm')).toContainText(/Exited|Stopped/);
  await shot(page, 'notification-vm-exited-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'notification-vm-exited-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await exited.getByRole('button', { name: /^Dismiss/ }).click();
  await expect(exited).toBeHidden();

  await host.kill();
  await expect(toasts.getByRole('status').filter({ hasText: 'kvm box is unreachable' })).toBeVisible({ timeout: 20_000 });
  await host.start();
  await expect(toasts.getByRole('status').filter({ hasText: 'kvm box is back' })).toBeVisible({ timeout: 30_000 });
  await expect(toasts.getByRole('status').filter({ hasText: 'kvm box is unreachable' })).toBeHidden();

  // Settings: Copy diagnostics and Reveal log folder, for a bug report.
  await app.goTo('Settings');
  await expect(page.getByRole('button', { name: /Copy diagnostics/ })).toBeVisible();
  await shot(page, 'settings-diagnostics-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'settings-diagnostics-dark');
});
