import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../support/temp-dir';

// The policy in a real Node process: without it, the first error below ends the process (exit 1).
const source = fileURLToPath(new URL('../../../../electron/app/last-resort.ts', import.meta.url));
let dir: Awaited<ReturnType<typeof makeTempDir>>;
let script: string;

beforeAll(async () => {
  dir = await makeTempDir();
  const bundle = join(dir.path, 'last-resort.mjs');
  await build({ entryPoints: [source], outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent' });
  script = join(dir.path, 'process.mjs');
  await writeFile(
    script,
    `import { keepRunningOnUnexpectedErrors } from './last-resort.mjs';
if (process.argv[2] === 'with-policy') keepRunningOnUnexpectedErrors(process, console);
setTimeout(() => { throw new Error('thrown from a timer'); });
setTimeout(() => void Promise.reject(new Error('rejected with nobody listening')));
setTimeout(() => { console.log('still running'); process.exit(0); }, 0);
`,
  );
});
afterAll(() => dir.cleanup());

function run(mode: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('a process with the last-resort policy', () => {
  it('logs an uncaught exception and an unhandled rejection, and keeps running', async () => {
    const result = await run('with-policy');
    expect(result.stdout).toBe('still running\n');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Error: thrown from a timer');
    expect(result.stderr).toContain('Error: rejected with nobody listening');
  });

  it('is what makes the difference: without it the same process dies of the first error', async () => {
    const result = await run('without');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
  });
});
