/** The ways the process ends, each as Firecracker's does: exit codes, last log lines, SIGABRT. */
import { log, W } from './logger';
import { bumpMetric, writeMetrics } from './metrics';

let exiting = false;
const cleanups: (() => void)[] = [];

export function isExiting(): boolean {
  return exiting;
}

/** Registers synchronous work to do right before the process exits on any of the paths below. */
export function onExit(fn: () => void): void {
  cleanups.push(fn);
}

function runCleanups(): void {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      fn();
    } catch {
      // best effort: the process is going away
    }
  }
  restoreTty();
}

/** Exits with `code` after the cleanups (signal handlers use this with their own exit codes). */
export function exitNow(code: number): never {
  runCleanups();
  process.exit(code);
}

/** A `main()` error: Display form logged, Debug form on stderr, then the exit code. */
export function exitWithError(display: string, debug: string, code: number): void {
  if (exiting) return;
  exiting = true;
  log('Error', 'main', W.main, display);
  process.stderr.write(`Error: ${debug}\n`);
  log('Error', 'main', W.main, `Firecracker exiting with error. exit_code=${code}`);
  exitNow(code);
}

/** Guest reboot/power-off: Firecracker tears the VMM down and exits 0 (it never restarts a guest). */
export function exitCleanly(): void {
  if (exiting) return;
  exiting = true;
  log('Info', 'main', W.vmm, 'Vmm is stopping.');
  writeMetrics();
  log('Info', 'main', W.main, 'Firecracker exiting successfully. exit_code=0');
  exitNow(0);
}

/** A Rust panic: the panic hook logs it, then `panic = "abort"` raises SIGABRT. */
export function panicAbort(message: string): never {
  log('Error', 'main', W.main, `Firecracker panicked at src/firecracker/src/main.rs:\n${message}`);
  bumpMetric('vmm', 'panic_count');
  writeMetrics();
  runCleanups();
  try {
    process.kill(process.pid, 'SIGABRT');
  } catch {
    // fall through to abort()
  }
  process.abort();
}

function restoreTty(): void {
  try {
    if (process.stdin.isTTY && process.stdin.isRaw) process.stdin.setRawMode(false);
  } catch {
    // not a terminal any more
  }
}
