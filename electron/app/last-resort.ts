/** The two events Node raises for an error nothing else handled. */
export interface UnexpectedErrorSource {
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
}

/** After this many, further unexpected errors are counted but not logged (a loop must not flood the log). */
export const LOGGED_UNEXPECTED_ERRORS = 50;

/**
 * The last resort of a long-running process (the desktop app's main process, the browser-mode
 * server): an error no listener handled is logged, and the process keeps serving the windows and
 * hosts it has, instead of dying with everything it holds open. This is not error handling: each
 * place that can fail still handles its own errors; this only keeps a missed one from costing
 * the user every connection.
 */
export function keepRunningOnUnexpectedErrors(source: UnexpectedErrorSource, log: Pick<Console, 'error'>): void {
  let seen = 0;
  const report = (kind: string, error: unknown) => {
    seen += 1;
    if (seen > LOGGED_UNEXPECTED_ERRORS) return;
    const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
    const more = seen === LOGGED_UNEXPECTED_ERRORS ? ` (from now on, further unexpected errors are not logged)` : '';
    try {
      log.error(`[firedeck] unexpected error (${kind}); Firedeck keeps running${more}. Please report this with the lines below.\n${detail}`);
    } catch {
      // The log itself failed (a closed terminal): nothing more can be done about it here.
    }
  };
  source.on('uncaughtException', (error) => report('uncaught exception', error));
  source.on('unhandledRejection', (reason) => report('unhandled promise rejection', reason));
}
