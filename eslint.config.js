import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'util'];

/**
 * Import direction: renderer → shared ← electron. Only the Electron entry
 * points may import `electron`, and services never reach into the transports.
 */
const layering = [
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/electron/**', '**/renderer/**', 'electron', 'react', ...nodeBuiltins], message: 'shared/ is the contract: it may import only zod and itself.' }],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/electron/**', 'electron', 'ssh2', 'undici', 'ws', ...nodeBuiltins], message: 'The renderer is web content: it reaches main only through renderer/api.' },
          // The channel files hold zod schemas; values the renderer needs live in zod-free modules (shared/limits.ts).
          { group: ['**/shared/channels/*', '**/shared/contract', 'zod'], allowTypeImports: true, message: 'Import only types from the contract here; zod must stay out of the renderer bundle.' },
        ],
      }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/transport/ipc.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Only electron/main.ts, preload.ts and transport/ipc.ts import Electron; services run in plain Node.' }],
        patterns: [{ group: ['**/renderer/**'], message: 'Main never imports the renderer.' }],
      }],
    },
  },
  {
    files: ['electron/*/**/*.ts'],
    ignores: ['electron/transport/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'Services run in plain Node.' }],
        patterns: [{ group: ['**/transport/**', '**/renderer/**'], message: 'Services never import transports or the renderer.' }],
      }],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '**/*.tmp.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly' } },
  },
  {
    files: ['renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  ...layering,
);
