import { defineConfig } from '@playwright/test';

// Drives Debian's Chromium against browser mode; never downloads a browser of its own.
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  // Builds the Firecracker API emulator bundle the suites install on test hosts.
  globalSetup: './test/support/global-setup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.FIREDECK_PLAYWRIGHT_JSON
    ? [['list'], ['json', { outputFile: process.env.FIREDECK_PLAYWRIGHT_JSON }]]
    : [['list']],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
