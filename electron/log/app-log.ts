import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../app-error.js';
import { createRedactor } from './redact.js';
import type { Redactor } from './redact.js';

/** One run of a host script, as the log records it: never its arguments or its text. */
export interface HostScriptRun {
  host: string;
  script: string;
  exitCode: number | null;
  ms: number;
  /** Why it did not finish (timeout, lost connection), in general terms. */
  failure?: string;
}

/**
 * The backend's log file, in the app data folder (logs/firedeck.log), rotated at a size with a
 * few older files kept. It is the core's `log`: every line goes through the redactor first, so
 * no password, passphrase, token or key reaches the disk.
 */
export interface AppLog {
  readonly dir: string;
  readonly path: string;
  readonly redact: Redactor;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  /** What ran on which host. Frequent runs of one script on one host are folded into a count. */
  hostScript(run: HostScriptRun): void;
  /** The last errors and warnings (message and causes, redacted, no stack), newest last, for diagnostics. */
  recentErrors(): string[];
}

export interface AppLogOptions {
  dir: string;
  /** Rotate when the file passes this size (default 1 MiB). */
  maxBytes?: number;
  /** Older files kept: firedeck.1.log … firedeck.N.log (default 4). */
  keep?: number;
  now?: () => Date;
  /** A host script that ran within this long of its last logged run is counted, not logged (default 60 s). */
  foldMs?: number;
}

const RECENT_ERRORS = 20;
const BASE = 'firedeck';

export function createAppLog(options: AppLogOptions): AppLog {
  const now = options.now ?? (() => new Date());
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const keep = options.keep ?? 4;
  const foldMs = options.foldMs ?? 60_000;
  const path = join(options.dir, `${BASE}.log`);
  const redact = createRedactor();
  const recent: string[] = [];
  /** host/script → when it was last written and how many runs were folded since. */
  const folded = new Map<string, { at: number; count: number; failures: number }>();
  let size = 0;
  let broken = false;

  try {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    size = statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  } catch {
    broken = true;
  }

  function rotate() {
    rmSync(join(options.dir, `${BASE}.${keep}.log`), { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      try {
        renameSync(join(options.dir, `${BASE}.${i}.log`), join(options.dir, `${BASE}.${i + 1}.log`));
      } catch {
        // that one did not exist yet
      }
    }
    renameSync(path, join(options.dir, `${BASE}.1.log`));
    size = 0;
  }

  function keepRecent(text: string) {
    recent.push(redact.text(`${now().toISOString()} ${text}`));
    if (recent.length > RECENT_ERRORS) recent.shift();
  }

  function write(level: string, text: string) {
    if (broken) return;
    const line = `${now().toISOString()} ${level} ${redact.text(text).replace(/\r?\n/g, '\n    ')}\n`;
    try {
      if (size > 0 && size + Buffer.byteLength(line) > maxBytes) rotate();
      appendFileSync(path, line, { mode: 0o600 });
      size += Buffer.byteLength(line);
    } catch {
      // A full or unwritable disk must not take the backend down; the log stops until restart.
      broken = true;
    }
  }

  return {
    dir: options.dir,
    path,
    redact,
    info: (message) => write('INFO ', message),
    warn(message) {
      write('WARN ', message);
      keepRecent(message);
    },
    error(message, error) {
      const summary = error === undefined ? '' : describe(error, redact, false);
      write('ERROR', error === undefined ? message : `${message}: ${describe(error, redact, true)}`);
      keepRecent(`${message}${summary ? `: ${summary}` : ''}`);
    },
    hostScript(run) {
      const key = `${run.host}\0${run.script}`;
      const at = now().getTime();
      const last = folded.get(key);
      const failed = run.exitCode !== 0;
      if (last && at - last.at < foldMs && !failed) {
        last.count++;
        return;
      }
      if (!last && folded.size >= 1000) folded.delete(folded.keys().next().value!);
      const more = last && last.count > 0 ? ` (ran ${last.count} more time${last.count === 1 ? '' : 's'} since the last line)` : '';
      const outcome = run.failure ? `did not finish: ${run.failure}` : `exit ${run.exitCode}`;
      write(failed ? 'WARN ' : 'INFO ', `ran ${run.script} on ${run.host}: ${outcome} in ${Math.round(run.ms)} ms${more}`);
      folded.set(key, { at, count: 0, failures: 0 });
    },
    recentErrors: () => [...recent],
  };
}

/** An error with its causes (code, message; the stack only for the file, and only of unexpected errors). */
export function describe(error: unknown, redact: Redactor, withStack: boolean): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    if (current instanceof AppError) {
      const details = current.details === undefined ? '' : ` ${JSON.stringify(redact.value(current.details))}`;
      parts.push(`${current.code}: ${current.message}${details}`);
    } else if (current instanceof Error) {
      const code = (current as NodeJS.ErrnoException).code;
      parts.push(`${current.name}${code ? ` ${code}` : ''}: ${current.message}${withStack && depth === 0 && current.stack ? `\n${current.stack.split('\n').slice(1, 8).join('\n')}` : ''}`);
    } else {
      parts.push(typeof current === 'string' ? current : JSON.stringify(redact.value(current)) ?? String(current));
      break;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return redact.text(parts.join(' ← caused by '));
}
