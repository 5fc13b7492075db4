import { isErrorCode } from '../../shared/error-codes';
import type { ErrorCode } from '../../shared/error-codes';
import type { AppErrorShape, InputIssue } from '../../shared/errors';

/** A failed request as the renderer sees it: an ordinary rejected promise carrying the error shape. */
export class FiredeckError extends Error implements AppErrorShape {
  readonly code: ErrorCode;
  readonly remedy?: string;
  readonly details?: unknown;

  constructor(shape: AppErrorShape) {
    super(shape.message);
    this.name = 'FiredeckError';
    // A code this renderer does not know (a newer backend) is still an error, of unknown kind.
    this.code = isErrorCode(shape.code) ? shape.code : 'INTERNAL';
    this.remedy = shape.remedy;
    this.details = shape.details;
  }

  /** Field path → message, for forms that show errors next to their fields. */
  fieldErrors(): Record<string, string> {
    const issues = (this.details as { issues?: InputIssue[] } | undefined)?.issues ?? [];
    return Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
  }

  /** The plain shape slices keep in state and views show (no Error instance in the store). */
  shape(): AppErrorShape {
    return { code: this.code, message: this.message, ...(this.remedy !== undefined ? { remedy: this.remedy } : {}), ...(this.details !== undefined ? { details: this.details } : {}) };
  }
}

export function toFiredeckError(error: unknown): FiredeckError {
  if (error instanceof FiredeckError) return error;
  return new FiredeckError({
    code: 'INTERNAL',
    message: error instanceof Error ? error.message : 'Something went wrong.',
  });
}

/** What a slice stores for a failed action: the caught error as `{ code, message, remedy, details }`. */
export function errorShape(caught: unknown): AppErrorShape {
  return toFiredeckError(caught).shape();
}
