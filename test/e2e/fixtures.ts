import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { startWebBackend } from '../support/web-backend';
import type { WebBackend } from '../support/web-backend';
import { AppPage } from './pages/app-page';

/** Each test gets its own backend (own data folder, own token) and a page opened on it. */
export const test = base.extend<{ dataDir: string; backend: WebBackend; app: AppPage }>({
  // eslint-disable-next-line no-empty-pattern
  dataDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'firedeck-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  backend: async ({ dataDir }, use) => {
    // Its own HOME, so the user's real ~/.ssh (known_hosts, config) never leaks into a test.
    const home = join(dataDir, 'home');
    await mkdir(join(home, '.ssh'), { recursive: true });
    const backend = await startWebBackend({ dataDir, env: { HOME: home, SSH_AUTH_SOCK: '' } });
    await use(backend);
    await backend.stop();
  },
  app: async ({ page, backend }, use) => {
    await use(await new AppPage(page).open(backend.url));
  },
});

export { expect } from '@playwright/test';
