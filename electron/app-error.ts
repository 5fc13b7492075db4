import type { AppErrorShape, ErrorCode } from '../shared/errors.js';

export interface AppErrorOptions {
  remedy?: string;
  details?: unknown;
  /** The underlying error, kept for the main-process log only; never sent to the renderer. */
  cause?: unknown;
}

/**
 * An error meant for the user. Services throw it when they know what went wrong; the router
 * sends its code, message, remedy and details, and nothing else.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly remedy?: string;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.remedy = options.remedy;
    this.details = options.details;
  }

  toShape(): AppErrorShape {
    const shape: AppErrorShape = { code: this.code, message: this.message };
    if (this.remedy !== undefined) shape.remedy = this.remedy;
    if (this.details !== undefined) shape.details = this.details;
    return shape;
  }
}
