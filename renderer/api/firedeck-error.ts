import type { AppErrorShape, InputIssue } from '../../shared/errors';

/** A failed request as the renderer sees it: an ordinary rejected promise carrying the error shape. */
export class FiredeckError extends Error implements AppErrorShape {
  readonly code: string;
  readonly remedy?: string;
  readonly details?: unknown;

  constructor(shape: AppErrorShape) {
    super(shape.message);
    this.name = 'FiredeckError';
    this.code = shape.code;
    this.remedy = shape.remedy;
    this.details = shape.details;
  }

  /** Field path → message, for forms that show errors next to their fields. */
  fieldErrors(): Record<string, string> {
    const issues = (this.details as { issues?: InputIssue[] } | undefined)?.issues ?? [];
    return Object.fromEntries(issues.map((issue) => [issue.path, issue.message]));
  }
}

export function toFiredeckError(error: unknown): FiredeckError {
  if (error instanceof FiredeckError) return error;
  return new FiredeckError({
    code: 'INTERNAL',
    message: error instanceof Error ? error.message : 'Something went wrong.',
  });
}
