import { defineConfig } from 'vitest/config';

// Test kinds live in their own folders; each is a vitest project.
/** Host scripts are imported as their text, as the esbuild build does (loader `.sh: text`). */
const shellText = {
  name: 'firedeck-sh-text',
  enforce: 'pre' as const,
  transform(source: string, id: string) {
    return id.endsWith('.sh') ? { code: `export default ${JSON.stringify(source)};`, map: null } : null;
  },
};

export default defineConfig({
  plugins: [shellText],
  test: {
    // Builds the Firecracker API emulator bundle the suites install on test hosts.
    globalSetup: ['test/support/global-setup.ts'],
    // Each test file's scratch directories are removed when it ends (scratchDir in test/support/temp-dir.ts).
    setupFiles: ['test/support/temp-dir-setup.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
