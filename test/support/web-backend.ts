import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const webEntry = fileURLToPath(new URL('../../dist/electron/web.js', import.meta.url));

export interface WebBackend {
  url: string;
  origin: string;
  token: string;
  port: number;
  dataDir: string;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts browser mode as a user would (`npm run web -- --port 0 --data-dir DIR --no-open`, from
 * the build) and waits for the address it prints. Needs `npm run build` first. With `open`, it
 * starts the browser itself (give it a PATH whose `xdg-open` records what it was handed).
 */
export async function startWebBackend(options: { dataDir: string; port?: number; open?: boolean; args?: string[]; env?: NodeJS.ProcessEnv }): Promise<WebBackend> {
  const child = spawn(
    process.execPath,
    [webEntry, '--port', String(options.port ?? 0), '--data-dir', options.dataDir, ...(options.open ? [] : ['--no-open']), ...(options.args ?? [])],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser mode did not start within 15 s:\n${output}`)), 15_000);
    const check = () => {
      const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`browser mode exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.hash.replace('#token=', ''),
    port: Number(parsed.port),
    dataDir: options.dataDir,
    output: () => output,
    stop: () => stopProcess(child),
  };
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
