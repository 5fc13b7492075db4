/**
 * Firecracker's logger: one process-wide instance, as in Firecracker itself (a global LOGGER).
 * Writes to stdout unless a log path is configured.
 */
import { openSync, writeSync, constants } from 'node:fs';
import { DEFAULT_INSTANCE_ID } from './constants';
import { bumpMetric } from './metrics';

export type Level = 'Off' | 'Error' | 'Warn' | 'Info' | 'Debug' | 'Trace';
export const LEVEL_NUM: Record<Level, number> = { Off: 0, Error: 1, Warn: 2, Info: 3, Debug: 4, Trace: 5 };
const LEVEL_TAG: Record<number, string> = { 1: 'ERROR', 2: 'WARN', 3: 'INFO', 4: 'DEBUG', 5: 'TRACE' };

export const logger = {
  instanceId: DEFAULT_INSTANCE_ID,
  level: LEVEL_NUM.Info,
  showLevel: false,
  showOrigin: false,
  module: null as string | null,
  fd: null as number | null,
};

process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local time with nanoseconds and no zone, as Firecracker stamps its log lines. */
const CLOCK_BASE = { wallNs: BigInt(Date.now()) * 1_000_000n, mono: process.hrtime.bigint() };

function timestamp(): string {
  const ns = CLOCK_BASE.wallNs + (process.hrtime.bigint() - CLOCK_BASE.mono);
  const d = new Date(Number(ns / 1_000_000n));
  const nanos = Number(ns % 1_000_000_000n);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(nanos, 9)}`;
}

/** Where a record comes from: [rust module path, source file]. */
export type Origin = readonly [string, string];

export const W = {
  main: ['firecracker', 'src/firecracker/src/main.rs'],
  adapter: ['firecracker::api_server_adapter', 'src/firecracker/src/api_server_adapter.rs'],
  api: ['firecracker::api_server', 'src/firecracker/src/api_server/mod.rs'],
  parsed: ['firecracker::api_server::parsed_request', 'src/firecracker/src/api_server/parsed_request.rs'],
  rpc: ['vmm::rpc_interface', 'src/vmm/src/rpc_interface.rs'],
  vmm: ['vmm', 'src/vmm/src/lib.rs'],
  builder: ['vmm::builder', 'src/vmm/src/builder.rs'],
  signals: ['vmm::signal_handler', 'src/vmm/src/signal_handler.rs'],
  bootTimer: ['vmm::devices::pseudo::boot_timer', 'src/vmm/src/devices/pseudo/boot_timer.rs'],
} as const satisfies Record<string, Origin>;

/**
 * One log record. The module feeds `--module` filtering and the file the optional origin.
 * APPROX: line numbers are not known, 0 is printed.
 */
export function log(level: Level, thread: string, where: Origin, message: string): void {
  const lv = LEVEL_NUM[level];
  if (lv > logger.level || logger.level === 0) return;
  if (logger.module && !where[0].startsWith(logger.module)) return;
  let prefix = `${logger.instanceId}:${thread}`;
  if (logger.showLevel) prefix += `:${LEVEL_TAG[lv]}`;
  if (logger.showOrigin) prefix += `:${where[1]}:0`;
  const line = `${timestamp()} [${prefix}] ${message}\n`;
  if (logger.fd === null) {
    process.stdout.write(line);
    return;
  }
  try {
    writeSync(logger.fd, line);
  } catch {
    bumpMetric('logger', 'missed_log_count');
  }
}

/** Opens an existing file or FIFO the way the logger and metrics do: read+write, non-blocking, no create. */
export function openExistingTarget(p: string): number {
  return openSync(p, constants.O_RDWR | constants.O_NONBLOCK);
}
