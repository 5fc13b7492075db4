import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/app-error';
import { runSteps, steps } from '../../../../electron/steps/step-runner';
import type { Step } from '../../../../electron/steps/step-runner';

type Log = string[];
const step = (name: string, fail = false): Step<Log> => ({
  name,
  run: async (log) => {
    log.push(`run ${name}`);
    if (fail) throw new AppError('HOST_COMMAND_FAILED', `${name} broke`, { remedy: 'fix it' });
  },
  undo: async (log) => {
    log.push(`undo ${name}`);
  },
});

describe('runSteps', () => {
  it('runs in order and reports progress', async () => {
    const log: Log = [];
    const progress: string[] = [];
    await runSteps([step('a'), step('b')], log, (name, status) => progress.push(`${name}:${status}`));
    expect(log).toEqual(['run a', 'run b']);
    expect(progress).toEqual(['a:running', 'a:done', 'b:running', 'b:done']);
  });

  it('stops at the first failure, undoes what was done in reverse, and names the step', async () => {
    const log: Log = [];
    const error = await runSteps([step('a'), step('b'), step('c', true), step('d')], log).then(() => null, (e: unknown) => e as AppError);
    expect(log).toEqual(['run a', 'run b', 'run c', 'undo b', 'undo a']);
    expect(error).toMatchObject({ code: 'HOST_COMMAND_FAILED', remedy: 'fix it', details: { step: 'c' } });
    expect(error!.message).toBe('c broke (step c)');
  });

  it('keeps unwinding when an undo fails', async () => {
    const log: Log = [];
    const brokenUndo: Step<Log> = { ...step('b'), undo: async () => { throw new Error('cannot undo'); } };
    await runSteps([step('a'), brokenUndo, step('c', true)], log).catch(() => {});
    expect(log).toEqual(['run a', 'run b', 'run c', 'undo a']);
  });
});

describe('list edits', () => {
  const list = [step('a'), step('b'), step('c')];
  it('remove, insertAfter and replace return new lists', () => {
    expect(steps.remove(list, 'b').map((s) => s.name)).toEqual(['a', 'c']);
    expect(steps.insertAfter(list, 'a', step('x')).map((s) => s.name)).toEqual(['a', 'x', 'b', 'c']);
    expect(steps.replace(list, 'c', step('z')).map((s) => s.name)).toEqual(['a', 'b', 'z']);
    expect(list.map((s) => s.name)).toEqual(['a', 'b', 'c']);
    expect(() => steps.insertAfter(list, 'nope', step('x'))).toThrow();
  });
});
