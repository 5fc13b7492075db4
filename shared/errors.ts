/**
 * Every failure that crosses from main to the renderer has this shape. `message` says what
 * happened in words a user can act on; `remedy` (when one exists) says what to do next.
 * `details` carries structured data for the UI (e.g. which input fields were invalid) and never
 * holds stack traces or paths of the machine the backend runs on.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNKNOWN_CHANNEL'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BACKEND_UNAVAILABLE'
  | 'STORE_READ_FAILED'
  | 'STORE_WRITE_FAILED'
  | 'INTERNAL';

export interface AppErrorShape {
  code: ErrorCode | (string & {});
  message: string;
  remedy?: string;
  details?: unknown;
}

/** One field the router rejected, as `details.issues` of an INVALID_INPUT error. */
export interface InputIssue {
  /** Dotted path of the offending field, `(input)` when the whole input is wrong. */
  path: string;
  message: string;
}

/** What a transport carries back for one request. */
export type InvokeResult<T = unknown> = { ok: true; value: T } | { ok: false; error: AppErrorShape };
