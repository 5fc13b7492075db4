/** Firecracker's command line: its small argument parser, help text and error texts. */
import { DEFAULT_API_SOCK, DEFAULT_INSTANCE_ID, DEFAULT_PAYLOAD_LIMIT } from './constants';
import { panicAbort } from './process-exit';

interface ArgDef {
  value: boolean;
  def?: string;
  requires?: string;
  forbids?: string;
  help: string;
}

const ARG_DEFS: Record<string, ArgDef> = {
  'api-sock': { value: true, def: DEFAULT_API_SOCK, help: 'Path to the Unix socket the HTTP API listens on.' },
  'boot-timer': { value: false, help: 'Add the boot timer device, which logs the guest boot time.' },
  'config-file': { value: true, help: 'Configure and boot the microVM from this JSON file.' },
  'describe-snapshot': { value: true, help: 'Print the data format version of a snapshot state file.' },
  'http-api-max-payload-size': { value: true, def: String(DEFAULT_PAYLOAD_LIMIT), help: 'Largest accepted request body, in bytes.' },
  id: { value: true, def: DEFAULT_INSTANCE_ID, help: 'MicroVM unique identifier.' },
  level: { value: true, help: 'Log level (off, trace, debug, info, warn, error).' },
  'log-path': { value: true, help: 'Existing file or FIFO that receives the log.' },
  metadata: { value: true, help: 'JSON file loaded into the MMDS data store at startup.' },
  'metrics-path': { value: true, help: 'Existing file or FIFO that receives the metrics.' },
  'mmds-size-limit': { value: true, help: 'Largest MMDS data store, in bytes.' },
  module: { value: true, help: 'Only log records of this module path prefix.' },
  'no-api': { value: false, requires: 'config-file', help: 'Run without the API socket (needs --config-file).' },
  'no-seccomp': { value: false, forbids: 'seccomp-filter', help: 'Do not install seccomp filters.' },
  'parent-cpu-time-us': { value: true, help: 'Parent process CPU time, for the startup metrics.' },
  'seccomp-filter': { value: true, forbids: 'no-seccomp', help: 'Custom compiled seccomp filter file.' },
  'show-level': { value: false, help: 'Prefix log lines with their level.' },
  'show-log-origin': { value: false, help: 'Prefix log lines with their source file and line.' },
  'snapshot-version': { value: false, help: 'Print the snapshot data format version.' },
  'start-time-cpu-us': { value: true, help: 'Process start CPU time, for the startup metrics.' },
  'start-time-us': { value: true, help: 'Process start time, for the startup metrics.' },
  version: { value: false, help: 'Print the binary version.' },
};

export class ArgError extends Error {}

/** Parsed arguments: a flag maps to `true`, an option to its value (defaults filled in). */
export type Args = Map<string, string | true>;

export function parseArgs(argv: string[]): Args {
  const got: Args = new Map();
  let k = 0;
  while (k < argv.length) {
    const a = argv[k]!;
    if (a === '--') break;
    if (!a.startsWith('--')) throw new ArgError(`Found argument '${a}' which wasn't expected, or isn't valid in this context.`);
    const name = a.slice(2);
    const def = ARG_DEFS[name];
    if (!def) throw new ArgError(`Found argument '${name}' which wasn't expected, or isn't valid in this context.`);
    if (got.has(name)) throw new ArgError(`The argument '${name}' was provided more than once.`);
    if (def.value) {
      const v = argv[k + 1];
      if (v === undefined || v.startsWith('--')) throw new ArgError(`The argument '${name}' requires a value, but none was supplied.`);
      got.set(name, v);
      k += 2;
    } else {
      got.set(name, true);
      k += 1;
    }
  }
  for (const name of [...got.keys()].sort()) {
    const def = ARG_DEFS[name]!;
    if (def.requires && !got.has(def.requires)) throw new ArgError(`Argument '${def.requires}' required, but not found.`);
    if (def.forbids && got.has(def.forbids)) throw new ArgError(`Argument '${def.forbids}' cannot be used together with argument '${name}'.`);
  }
  for (const [name, def] of Object.entries(ARG_DEFS)) if (def.def !== undefined && !got.has(name)) got.set(name, def.def);
  return got;
}

/** The value of an option that has one (a default, or given on the command line). */
export function argValue(args: Args, name: string): string {
  return String(args.get(name));
}

export function helpText(): string {
  const lines = ['optional arguments:'];
  for (const name of Object.keys(ARG_DEFS).sort()) {
    const def = ARG_DEFS[name]!;
    const head = def.value ? `--${name} <${name}>` : `--${name}`;
    const dflt = def.def !== undefined ? ` [default: ${JSON.stringify(def.def)}]` : '';
    lines.push(`  ${head.padEnd(48)}${def.help}${dflt}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `--id`: 1 to 64 characters, each alphanumeric or '-'. Returns the Debug form of the error, or null. */
export function instanceIdProblem(id: string): string | null {
  if (id.length < 1 || id.length > 64) return `InvalidLen(${id.length}, 1, 64)`;
  let pos = 0;
  for (const ch of id) {
    if (!/^[\p{Alphabetic}\p{N}-]$/u.test(ch)) return `InvalidChar('${ch}', ${pos})`;
    pos++;
  }
  return null;
}

export function usizeOrPanic(name: string, value: string): number {
  if (!/^\d+$/.test(value)) panicAbort(`'${name}' parameter expected to be of 'usize' type.`);
  return Number(value);
}
