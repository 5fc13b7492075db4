/**
 * Browser mode with the guest's address given by the test (the real app asks the VM's network on
 * its host, which needs the network helper): the same core and bridge as `npm run web`, built
 * from this folder's entry (guest-web-entry.ts) by esbuild as the app's build does. Needs
 * `npm run build` for the renderer (dist/renderer).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const entry = fileURLToPath(new URL('../../dist/test-support/guest-web.mjs', import.meta.url));

export interface GuestWebBackend {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startGuestWebBackend(options: { dataDir: string; home: string; guest: { host: string; port: number; user: string } }): Promise<GuestWebBackend> {
  const pkg = JSON.parse(await readFile(`${root}/package.json`, 'utf8')) as { version: string };
  await build({
    entryPoints: [fileURLToPath(new URL('./guest-web-entry.ts', import.meta.url))],
    outfile: entry,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    packages: 'external',
    define: { __FIREDECK_VERSION__: JSON.stringify(pkg.version) },
    loader: { '.sh': 'text' },
    logLevel: 'warning',
    absWorkingDir: root,
  });
  const child = spawn(process.execPath, [entry], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOME: options.home, SSH_AUTH_SOCK: '', FIREDECK_DATA_DIR: options.dataDir, FIREDECK_STATIC_ROOT: fileURLToPath(new URL('../../dist/renderer/', import.meta.url)), FIREDECK_TEST_GUEST: JSON.stringify(options.guest) },
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the guest web backend did not start:\n${output}`)), 20_000);
    child.stdout!.on('data', () => {
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the guest web backend exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
