import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/app-error';
import { runSteps, steps } from '../../../../electron/steps/step-runner';
import type { Step, StepStatus } from '../../../../electron/steps/step-runner';

type Log = string[];
const step = (name: string, fail: 'app' | 'raw' | false = false): Step<Log> => ({
  name,
  run: async (log) => {
    log.push(`run ${name}`);
    if (fail === 'app') throw new AppError('HOST_COMMAND_FAILED', `${name} broke`, { remedy: 'fix it' });
    if (fail === 'raw') throw new Error(`ENOENT: no such file or directory, open '/Users/me/secret/${name}'`);
  },
  undo: async (log) => {
    log.push(`undo ${name}`);
  },
});
const progressOf = (progress: string[]) => (s: Step<Log>, status: StepStatus, detail?: string) => progress.push(`${s.name}:${status}${detail ? `:${detail}` : ''}`);

describe('runSteps', () => {
  it('runs in order and reports progress with what each step said it did', async () => {
    const log: Log = [];
    const progress: string[] = [];
    const told: Step<Log> = { name: 'told', run: async () => 'made the thing' };
    await runSteps([step('a'), told], log, progressOf(progress));
    expect(log).toEqual(['run a']);
    expect(progress).toEqual(['a:running', 'a:done', 'told:running', 'told:done:made the thing']);
  });

  it('skips a step whose check says its work is already there, with the reason', async () => {
    const log: Log = [];
    const progress: string[] = [];
    const installed: Step<Log> = { ...step('install'), check: async () => 'already installed' };
    const missing: Step<Log> = { ...step('fetch'), check: async () => null };
    await runSteps([installed, missing], log, progressOf(progress));
    expect(log).toEqual(['run fetch']);
    expect(progress).toEqual(['install:running', 'install:skipped:already installed', 'fetch:running', 'fetch:done']);
  });

  it('stops at the first failure, undoes what was done in reverse, and names the step', async () => {
    const log: Log = [];
    const error = await runSteps([step('a'), step('b'), step('c', 'app'), step('d')], log).then(() => null, (e: unknown) => e as AppError);
    expect(log).toEqual(['run a', 'run b', 'run c', 'undo b', 'undo a']);
    expect(error).toMatchObject({ code: 'HOST_COMMAND_FAILED', remedy: 'fix it', details: { step: 'c' } });
    expect(error!.message).toBe('c broke (step c)');
  });

  it('passes an unexpected error on untouched, so its text (a local path) never becomes a user message', async () => {
    const raw = await runSteps([step('a'), step('b', 'raw')], []).then(() => null, (e: unknown) => e);
    expect(raw).not.toBeInstanceOf(AppError);
    expect((raw as Error).message).toContain('/Users/me/secret/b');
  });

  it('keeps unwinding when an undo fails', async () => {
    const log: Log = [];
    const brokenUndo: Step<Log> = { ...step('b'), undo: async () => { throw new Error('cannot undo'); } };
    await runSteps([step('a'), brokenUndo, step('c', 'app')], log).catch(() => {});
    expect(log).toEqual(['run a', 'run b', 'run c', 'undo a']);
  });
});

describe('list edits', () => {
  const [a, b, c] = [step('a'), step('b'), step('c')];
  const list = [a, b, c];
  it('remove, insertAfter and replace name steps by their objects and return new lists', () => {
    const [x, z] = [step('x'), step('z')];
    expect(steps.remove(list, b).map((s) => s.name)).toEqual(['a', 'c']);
    expect(steps.insertAfter(list, a, x).map((s) => s.name)).toEqual(['a', 'x', 'b', 'c']);
    expect(steps.replace(list, c, z).map((s) => s.name)).toEqual(['a', 'b', 'z']);
    expect(list.map((s) => s.name)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a step that is not in the list, whatever the edit', () => {
    const stranger = step('a'); // same name, another step
    expect(() => steps.remove(list, stranger)).toThrow(/no step a/);
    expect(() => steps.insertAfter(list, stranger, step('x'))).toThrow(/no step a/);
    expect(() => steps.replace(list, stranger, step('x'))).toThrow(/no step a/);
  });
});
