/*
 * TEST DOUBLE: an emulator of the `firecracker` v1.12.0 binary, driven through its HTTP API on a
 * Unix socket. It keeps the VMM's configuration and state machine, answers every API call the
 * way the real process does (status codes, headers, error texts), checks kernel images for the
 * host architecture, and runs a guest on the serial console (stdin/stdout) once "booted": a
 * script guest for API tests, or a real Linux guest under QEMU for a real test kernel.
 *
 * Bundled at test setup into one self-contained Node executable (build.mjs): it is shipped alone
 * inside test release tarballs, so it uses nothing but Node built-ins. Production code never
 * imports it. Where the real behaviour could not be pinned down, the choice made is marked "APPROX".
 */
import { execFileSync } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { arch as osArch } from 'node:os';
import type { Args } from './cli';
import { argValue, ArgError, helpText, instanceIdProblem, parseArgs, usizeOrPanic } from './cli';
import { bootFromConfigFile } from './config-file';
import { FC_VERSION, SNAPSHOT_DATA_VERSION } from './constants';
import { Fault } from './faults';
import { startApiServer } from './http-server';
import type { JsonValue } from './json-text';
import type { Level } from './logger';
import { LEVEL_NUM, log, logger, openExistingTarget, W } from './logger';
import { metrics } from './metrics';
import { exitWithError, panicAbort } from './process-exit';
import { ioText, rustDebugStr } from './rust-text';
import type { Arch } from './schemas';
import { LEVELS } from './schemas';
import { fromSlice, S } from './serde';
import { installSignalHandlers } from './signals';
import { readStateFile, SnapshotFormatError } from './snapshot';
import { closeFd, createVmm } from './vmm';
import { putMmdsData } from './vmm-config';

/** The host architecture, as `uname -m` on PATH reports it (tests fake it with their own `uname`). */
function hostArch(): Arch {
  let m = '';
  try {
    m = execFileSync('uname', ['-m'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    m = osArch() === 'arm64' ? 'aarch64' : 'x86_64';
  }
  if (m === 'aarch64' || m === 'arm64') return 'aarch64';
  // Firecracker exists only for x86_64 and aarch64; anything else is treated as x86_64.
  return 'x86_64';
}

/** --version, --help, --snapshot-version and --describe-snapshot: print and exit. */
function printAndExit(argv: string[]): void {
  const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
    process.stdout.write(`Firecracker v${FC_VERSION}\n\n${helpText()}`);
    process.exit(0);
  }
  if (beforeDashes.includes('--version')) {
    process.stdout.write(`Firecracker v${FC_VERSION}\n\n`);
    process.exit(0);
  }
}

function describeSnapshot(path: string): void {
  try {
    const st = readStateFile(path);
    process.stdout.write(`${st.version}\n`);
    process.exit(0);
  } catch (e) {
    const inner = e instanceof SnapshotFormatError ? e.message : ioText(e);
    exitWithError(`Unable to describe snapshot: ${inner}`, `DescribeSnapshot(${rustDebugStr(inner)})`, 1);
  }
}

/** Sets up the logger from the command line; false when the process is exiting. */
function initLogger(args: Args): boolean {
  if (args.has('level')) {
    const v = argValue(args, 'level');
    const lv = LEVELS[v.toLowerCase()];
    if (!lv) {
      exitWithError(
        `Invalid value for logger level: Failed to parse string to level filter: ${v}.Possible values: [Error, Warning, Info, Debug]`,
        `InvalidLogLevel(${rustDebugStr(v)})`,
        152,
      );
      return false;
    }
    logger.level = LEVEL_NUM[lv as Level];
  }
  logger.showLevel = args.has('show-level');
  logger.showOrigin = args.has('show-log-origin');
  logger.module = args.has('module') ? argValue(args, 'module') : null;
  if (args.has('log-path')) {
    try {
      logger.fd = openExistingTarget(argValue(args, 'log-path'));
    } catch (e) {
      exitWithError(`Could not initialize logger: Failed to open target file: ${ioText(e)}`, `LoggerInitialization(${rustDebugStr(ioText(e))})`, 1);
      return false;
    }
  }
  return true;
}

function readMetadata(path: string): JsonValue {
  let text: Buffer;
  try {
    text = readFileSync(path);
  } catch {
    panicAbort('Unable to open or read from the mmds content file');
  }
  try {
    return fromSlice<JsonValue>(text, S.any);
  } catch {
    panicAbort('MMDS error: metadata provided not valid json');
  }
}

function main(): void {
  const argv = process.argv.slice(2);
  printAndExit(argv);
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof ArgError)) throw e;
    exitWithError(`Arguments parsing error: ${e.message} \n\nFor more information try --help.`, `ParseArguments(${rustDebugStr(e.message)})`, 153);
    return;
  }
  if (args.has('snapshot-version')) {
    process.stdout.write(`${SNAPSHOT_DATA_VERSION}\n`);
    process.exit(0);
  }
  if (args.has('describe-snapshot')) {
    describeSnapshot(argValue(args, 'describe-snapshot'));
    return;
  }

  const id = argValue(args, 'id');
  const idProblem = instanceIdProblem(id);
  if (idProblem) panicAbort(`Invalid instance ID: ${idProblem}`);
  logger.instanceId = id;
  if (!initLogger(args)) return;
  log('Info', 'main', W.main, `Running Firecracker v${FC_VERSION}`);
  installSignalHandlers();

  const arch = hostArch();
  const payloadLimit = usizeOrPanic('http-api-max-payload-size', argValue(args, 'http-api-max-payload-size'));
  const mmdsLimit = args.has('mmds-size-limit') ? usizeOrPanic('mmds-size-limit', argValue(args, 'mmds-size-limit')) : payloadLimit;
  const vmm = createVmm({ arch, instanceId: id, payloadLimit, mmdsLimit, bootTimer: args.has('boot-timer') });
  metrics.source = { arch, driveIds: () => vmm.drives.map((d) => d.config.drive_id), ifaceIds: () => vmm.nets.map((n) => n.config.iface_id) };

  if (args.has('metrics-path')) {
    try {
      metrics.fd = openExistingTarget(argValue(args, 'metrics-path'));
    } catch (e) {
      const inner = `Cannot initialize the metrics system due to bad user input: ${ioText(e)}`;
      exitWithError(`Could not initialize metrics: ${inner}`, `MetricsInitialization(${rustDebugStr(inner)})`, 1);
      return;
    }
  }
  if (args.has('seccomp-filter')) {
    try {
      // APPROX: the filter file is opened but its BPF contents are not checked.
      closeFd(openSync(argValue(args, 'seccomp-filter'), 'r'));
    } catch (e) {
      exitWithError(`Seccomp error: Filter file open error: ${ioText(e)}`, `SeccompFilter(${rustDebugStr(ioText(e))})`, 1);
      return;
    }
  }
  let configText: string | null = null;
  if (args.has('config-file')) {
    try {
      configText = readFileSync(argValue(args, 'config-file'), 'utf8');
    } catch {
      panicAbort('Unable to open or read from the configuration file');
    }
  }
  const metadata = args.has('metadata') ? readMetadata(argValue(args, 'metadata')) : null;
  const startUs = ['start-time-us', 'start-time-cpu-us', 'parent-cpu-time-us'].map((n) => (args.has(n) ? usizeOrPanic(n, argValue(args, n)) : null));
  if (startUs[0] != null) metrics.store.process_startup_time_us = Math.max(0, Math.round(Date.now() * 1000 - startUs[0]));
  if (startUs[1] != null) metrics.store.process_startup_time_cpu_us = Math.round(process.cpuUsage().user) + (startUs[2] ?? 0);

  // Keeps the event loop alive whatever else happens (stdin EOF, no API socket, a paused VM).
  setInterval(() => {}, 1 << 30);

  const withApi = !args.has('no-api');
  const afterSocket = () => {
    if (configText !== null) {
      void bootFromConfigFile(vmm, configText, metadata, withApi);
    } else if (metadata !== null) {
      try {
        putMmdsData(vmm, metadata);
      } catch (e) {
        if (!(e instanceof Fault)) throw e;
        panicAbort(`MMDS error: ${e.message}`);
      }
    }
  };
  if (withApi) startApiServer(vmm, argValue(args, 'api-sock'), afterSocket);
  else afterSocket();
}

main();
