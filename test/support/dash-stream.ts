import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withArguments } from '../../electron/ssh/host-script';
import { descendants } from './process-tree';
import { scratchDir } from './temp-dir';

export interface DashStream {
  child: ChildProcessWithoutNullStreams;
  /** Everything printed on stdout so far. */
  stdout(): Buffer;
  stderr(): string;
  /** Resolves when stdout holds `text`, rejects after `timeoutMs`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  exited: Promise<number | null>;
  /** The script's process and everything it started (to prove nothing outlives it). */
  tree(): number[];
  cleanup(): void;
}

/**
 * Runs a streaming host script (a console, an API relay) under dash as runHostScript's sibling
 * for streams does: arguments set first, stdin and stdout kept open for the test to drive.
 */
export function spawnUnderDash(source: string, args: readonly (string | number)[], options: { standIns?: Record<string, string>; env?: NodeJS.ProcessEnv } = {}): DashStream {
  const bin = scratchDir('firedeck-standins-');
  for (const [name, body] of Object.entries(options.standIns ?? {})) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const child = spawn('dash', ['-c', withArguments(source, args)], {
    env: { ...process.env, LC_ALL: 'C', ...options.env, PATH: `${bin}:${options.env?.PATH ?? process.env.PATH}` },
  });
  let out = Buffer.alloc(0);
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out = Buffer.concat([out, chunk])));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  child.stdin.on('error', () => {});
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor: (text, timeoutMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        if (out.includes(text)) return resolve();
        const timer = setTimeout(() => reject(new Error(`no ${JSON.stringify(text)} on stdout within ${timeoutMs} ms; got ${JSON.stringify(out.toString('utf8'))}, stderr ${JSON.stringify(err)}`)), timeoutMs);
        const check = () => {
          if (!out.includes(text)) return;
          clearTimeout(timer);
          child.stdout.off('data', check);
          resolve();
        };
        child.stdout.on('data', check);
      }),
    exited,
    tree: () => (child.pid ? [child.pid, ...descendants(child.pid)] : []),
    cleanup() {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(bin, { recursive: true, force: true });
    },
  };
}

/** Waits until `check()` is true, polling every 20 ms, at most `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
