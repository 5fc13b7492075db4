import { AppError } from '../app-error.js';

/**
 * One named step of a multi-step operation (VM start, snapshot restore, host setup). Steps read
 * and fill fields of a typed context; a step that creates something can undo it, and a step
 * whose work may already be there (host setup) says so in `check`.
 */
export interface Step<C> {
  name: string;
  /** "Already done?": why the step is not needed, or null to run it. */
  check?(ctx: C): Promise<string | null>;
  /** Does the work; may return a short account of what was done. */
  run(ctx: C): Promise<string | void>;
  undo?(ctx: C): Promise<void>;
}

export type StepStatus = 'running' | 'done' | 'skipped' | 'failed' | 'undone';

/** What `onProgress` hears: the step, its new status, and what the step said it did (or why it was not needed). */
export type StepProgress<C> = (step: Step<C>, status: StepStatus, detail?: string) => void;

/**
 * Runs steps in order: a step whose `check` says it is done is skipped; the first failure
 * stops the run, the finished steps are undone in reverse, and the error is rethrown. An
 * AppError gets the step's name added, so the user can place it; any other error is rethrown
 * as it is, for the router to log and to report in general terms (its message may hold
 * anything, a local path included). Variants edit the list (see `steps`); no step branches on
 * the variant.
 */
export async function runSteps<C>(list: readonly Step<C>[], ctx: C, onProgress: StepProgress<C> = () => {}): Promise<void> {
  const finished: Step<C>[] = [];
  for (const step of list) {
    onProgress(step, 'running');
    let detail: string | void;
    try {
      const done = step.check ? await step.check(ctx) : null;
      if (done !== null) {
        onProgress(step, 'skipped', done);
        continue;
      }
      detail = await step.run(ctx);
    } catch (error) {
      onProgress(step, 'failed');
      for (const earlier of finished.reverse()) {
        if (!earlier.undo) continue;
        try {
          await earlier.undo(ctx);
          onProgress(earlier, 'undone');
        } catch {
          // Keep unwinding: one failed cleanup must not leave the others undone.
        }
      }
      throw error instanceof AppError ? inStep(step.name, error) : error;
    }
    finished.push(step);
    onProgress(step, 'done', detail ?? undefined);
  }
}

function inStep(name: string, error: AppError): AppError {
  return new AppError(error.code, `${error.message} (step ${name})`, {
    remedy: error.remedy,
    details: { ...(typeof error.details === 'object' && error.details !== null ? error.details : {}), step: name },
    cause: error,
  });
}

function indexOf<C>(list: readonly Step<C>[], step: Step<C>): number {
  const at = list.indexOf(step);
  if (at === -1) throw new Error(`the step list has no step ${step.name}`);
  return at;
}

/**
 * List edits, as the go SDK's HandlerList: each returns a new list, and each names steps by
 * their exported objects (so a renamed or removed step fails where the edit is written) and
 * refuses a step that is not in the list.
 */
export const steps = {
  remove<C>(list: readonly Step<C>[], ...removed: Step<C>[]): Step<C>[] {
    for (const step of removed) indexOf(list, step);
    return list.filter((s) => !removed.includes(s));
  },
  insertAfter<C>(list: readonly Step<C>[], after: Step<C>, ...added: Step<C>[]): Step<C>[] {
    const at = indexOf(list, after);
    return [...list.slice(0, at + 1), ...added, ...list.slice(at + 1)];
  },
  replace<C>(list: readonly Step<C>[], old: Step<C>, replacement: Step<C>): Step<C>[] {
    const at = indexOf(list, old);
    return list.map((s, i) => (i === at ? replacement : s));
  },
};
