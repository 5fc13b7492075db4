import { mkdtemp, rm } from 'node:fs/promises';
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
    const backend = await startWebBackend({ dataDir });
    await use(backend);
    await backend.stop();
  },
  app: async ({ page, backend }, use) => {
    await use(await new AppPage(page).open(backend.url));
  },
});

export { expect } from '@playwright/test';
