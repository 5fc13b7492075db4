/** Firecracker's signal handlers: fatal signals exit with their own codes after a log line. */
import { log, W } from './logger';
import { bumpMetric, writeMetrics } from './metrics';
import { exitNow } from './process-exit';

export function installSignalHandlers(): void {
  const fatal: Record<string, [number, number, string]> = {
    SIGBUS: [149, 7, 'sigbus'],
    SIGSEGV: [150, 11, 'sigsegv'],
    SIGXFSZ: [151, 25, 'sigxfsz'],
    SIGXCPU: [154, 24, 'sigxcpu'],
    SIGHUP: [156, 1, 'sighup'],
    SIGILL: [157, 4, 'sigill'],
  };
  for (const [sig, [code, num, metric]] of Object.entries(fatal)) {
    try {
      process.on(sig as NodeJS.Signals, () => {
        bumpMetric('signals', metric);
        log('Error', 'main', W.signals, `Shutting down VM after intercepting signal ${num}, code 0.`);
        writeMetrics();
        exitNow(code);
      });
    } catch {
      // some signals cannot be watched on this platform
    }
  }
  try {
    process.on('SIGSYS', () => {
      bumpMetric('seccomp', 'num_faults');
      log('Error', 'main', W.signals, 'Shutting down VM after intercepting a bad syscall (0).');
      writeMetrics();
      exitNow(148);
    });
  } catch {
    // not watchable
  }
  process.on('SIGPIPE', () => {
    bumpMetric('signals', 'sigpipe');
    log('Error', 'main', W.signals, 'Received signal 13, code 0.');
  });
  // SIGTERM, SIGINT (and SIGKILL) are deliberately not handled: the default action applies.
}
