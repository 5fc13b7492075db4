import type { ErrorCode } from '../../shared/error-codes.js';
import { AppError } from '../app-error.js';
import type { ExecOptions, HostConnection } from './host-connection.js';
import { shq } from './shell-quote.js';

/** What a named exit of a host script means when it is a failure the user must hear about. */
export interface ScriptFailure {
  code: ErrorCode;
  /** Gets what the script printed, e.g. to quote a tool's own message. */
  message: string | ((printed: { output: string; stderr: string }) => string);
  remedy?: string;
}

/**
 * One host operation: a POSIX sh file under electron/host-scripts/, and what its exit codes
 * mean. Exit 0 is success. A code in `failures` becomes that AppError; a code in `outcomes` is
 * an expected answer returned to the caller (e.g. "already exists"); any other code is a failure
 * of `what`, with the end of the output.
 */
export interface HostScript<O extends string = never> {
  /** The file name without `.sh`, for messages and logs. */
  readonly name: string;
  readonly source: string;
  /** What the script does, as the subject of a sentence: "Starting Firecracker". */
  readonly what: string;
  readonly failures: Readonly<Record<number, ScriptFailure>>;
  readonly outcomes: Readonly<Record<number, O>>;
  readonly remedy?: string;
}

export function hostScript<O extends string = never>(definition: {
  name: string;
  source: string;
  what: string;
  failures?: Record<number, ScriptFailure>;
  outcomes?: Record<number, O>;
  /** Remedy for an unexpected failure. */
  remedy?: string;
}): HostScript<O> {
  const failures = definition.failures ?? {};
  const outcomes = definition.outcomes ?? ({} as Record<number, O>);
  for (const exit of [...Object.keys(failures), ...Object.keys(outcomes)].map(Number)) {
    // 126/127 mean "not executable"/"not found" and >128 a signal: they must stay failures.
    if (!Number.isInteger(exit) || exit < 1 || exit > 125) throw new Error(`${definition.name}: exit ${exit} cannot be given a meaning`);
  }
  return { ...definition, failures, outcomes };
}

export interface ScriptResult<O extends string> {
  outcome: 'ok' | O;
  /** What the script printed on stdout (between the framing markers). */
  output: string;
  stderr: string;
}

/**
 * Runs a host script on the host with `args` as its positional parameters: the runner puts
 * `set -- 'arg1' 'arg2' …` in front of the file's text, each value quoted once, so no script
 * ever has a value spliced into its text.
 */
export async function runHostScript<O extends string>(
  connection: HostConnection,
  script: HostScript<O>,
  args: readonly (string | number)[] = [],
  options: ExecOptions = {},
): Promise<ScriptResult<O>> {
  const result = await connection.exec(withArguments(script.source, args), { timeoutMs: 60_000, ...options });
  if (result.exitCode === 0) return { outcome: 'ok', output: result.output, stderr: result.stderr };
  const outcome = script.outcomes[result.exitCode];
  if (outcome !== undefined) return { outcome, output: result.output, stderr: result.stderr };
  const failure = script.failures[result.exitCode];
  if (failure) {
    const printed = { output: result.output.trim(), stderr: result.stderr.trim() };
    throw new AppError(failure.code, typeof failure.message === 'function' ? failure.message(printed) : failure.message, {
      ...(failure.remedy ? { remedy: failure.remedy } : {}),
      details: { script: script.name, exitCode: result.exitCode },
    });
  }
  // A failing tool usually explains itself on stderr; a script may print its own reason instead.
  const said = result.stderr.trim() || result.output.trim();
  const tail = said.split('\n').slice(-3).join(' / ');
  throw new AppError('HOST_COMMAND_FAILED', `${script.what} failed on ${connection.name}: ${tail || `exit ${result.exitCode}`}`, {
    ...(script.remedy ? { remedy: script.remedy } : {}),
    details: { script: script.name, exitCode: result.exitCode },
  });
}

/** The script's text with its arguments set first, as the runner sends it (exported for tests). */
export function withArguments(source: string, args: readonly (string | number)[]): string {
  return args.length === 0 ? source : `set -- ${args.map(shq).join(' ')}\n${source}`;
}
