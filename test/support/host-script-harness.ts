import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withArguments } from '../../electron/ssh/host-script';

export interface DashRun {
  stdout: string;
  stderr: string;
  status: number;
}

export interface DashOptions {
  /** Stand-in commands put first on PATH: name → body of a /bin/sh script (`$@` are its arguments). */
  standIns?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string | Buffer;
}

/**
 * Runs a host script under dash (the /bin/sh of Debian hosts) with its arguments set the way
 * runHostScript sets them, and stand-in commands ahead of the real ones, for the scripts' unit tests.
 */
export function runUnderDash(source: string, args: readonly (string | number)[] = [], options: DashOptions = {}): DashRun {
  const bin = mkdtempSync(join(tmpdir(), 'firedeck-standins-'));
  try {
    for (const [name, body] of Object.entries(options.standIns ?? {})) {
      const path = join(bin, name);
      writeFileSync(path, `#!/bin/sh\n${body}\n`);
      chmodSync(path, 0o755);
    }
    const result = spawnSync('dash', ['-c', withArguments(source, args)], {
      encoding: 'utf8',
      cwd: options.cwd,
      input: options.input,
      env: { ...process.env, LC_ALL: 'C', ...options.env, PATH: `${bin}:${options.env?.PATH ?? process.env.PATH}` },
    });
    return { stdout: result.stdout, stderr: result.stderr, status: result.status ?? -1 };
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}
