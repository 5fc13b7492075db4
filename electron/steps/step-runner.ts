import { AppError } from '../app-error.js';

/**
 * One named step of a multi-step operation (VM start, snapshot restore, host setup). Steps read
 * and fill fields of a typed context; a step that creates something can undo it.
 */
export interface Step<C> {
  name: string;
  run(ctx: C): Promise<void>;
  undo?(ctx: C): Promise<void>;
}

export type StepStatus = 'running' | 'done' | 'failed' | 'undone';

/**
 * Runs steps in order, stops at the first failure, undoes the finished ones in reverse, and
 * rethrows with the step's name so the user can place the failure. Variants edit the list
 * (see vm-start-steps.ts); no step branches on the variant.
 */
export async function runSteps<C>(steps: readonly Step<C>[], ctx: C, onProgress: (step: string, status: StepStatus) => void = () => {}): Promise<void> {
  const finished: Step<C>[] = [];
  for (const step of steps) {
    onProgress(step.name, 'running');
    try {
      await step.run(ctx);
    } catch (error) {
      onProgress(step.name, 'failed');
      for (const done of finished.reverse()) {
        if (!done.undo) continue;
        try {
          await done.undo(ctx);
          onProgress(done.name, 'undone');
        } catch {
          // Keep unwinding: one failed cleanup must not leave the others undone.
        }
      }
      throw inStep(step.name, error);
    }
    finished.push(step);
    onProgress(step.name, 'done');
  }
}

function inStep(name: string, error: unknown): AppError {
  const base = error instanceof AppError ? error : new AppError('STEP_FAILED', (error as Error)?.message ?? String(error), { cause: error });
  return new AppError(base.code, `${base.message} (step ${name})`, {
    remedy: base.remedy,
    details: { ...(typeof base.details === 'object' && base.details !== null ? base.details : {}), step: name },
    cause: base,
  });
}

/** List edits, as the go SDK's HandlerList: each returns a new list. */
export const steps = {
  remove<C>(list: readonly Step<C>[], ...names: string[]): Step<C>[] {
    return list.filter((s) => !names.includes(s.name));
  },
  insertAfter<C>(list: readonly Step<C>[], after: string, ...added: Step<C>[]): Step<C>[] {
    const at = list.findIndex((s) => s.name === after);
    if (at === -1) throw new Error(`no step named ${after}`);
    return [...list.slice(0, at + 1), ...added, ...list.slice(at + 1)];
  },
  replace<C>(list: readonly Step<C>[], name: string, replacement: Step<C>): Step<C>[] {
    return list.map((s) => (s.name === name ? replacement : s));
  },
};
