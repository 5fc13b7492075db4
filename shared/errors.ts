/**
 * Every failure that crosses from main to the renderer has this shape. `message` says what
 * happened in words a user can act on; `remedy` (when one exists) says what to do next.
 * `details` carries structured data for the UI (e.g. which input fields were invalid) and never
 * holds stack traces or paths of the machine the backend runs on.
 */
export type { ErrorCode } from './error-codes.js';
import type { ErrorCode } from './error-codes.js';

export interface AppErrorShape {
  code: ErrorCode;
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
