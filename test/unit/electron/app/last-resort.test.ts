import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LOGGED_UNEXPECTED_ERRORS, keepRunningOnUnexpectedErrors } from '../../../../electron/app/last-resort';

function setUp() {
  const source = new EventEmitter();
  const lines: string[] = [];
  keepRunningOnUnexpectedErrors(source, { error: (line: string) => void lines.push(line) });
  return { source, lines };
}

describe('keepRunningOnUnexpectedErrors', () => {
  it('logs an uncaught exception with its stack, and a rejection whatever its reason', () => {
    const { source, lines } = setUp();
    source.emit('uncaughtException', new TypeError('boom'));
    source.emit('unhandledRejection', 'a plain string');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/unexpected error \(uncaught exception\); Firedeck keeps running/);
    expect(lines[0]).toMatch(/TypeError: boom\n\s+at /);
    expect(lines[1]).toMatch(/unhandled promise rejection.*\na plain string$/s);
  });

  it('stops logging after a bound, and says so once, so an error in a loop cannot flood the log', () => {
    const { source, lines } = setUp();
    for (let i = 0; i < LOGGED_UNEXPECTED_ERRORS * 3; i++) source.emit('unhandledRejection', new Error(`again ${i}`));
    expect(lines).toHaveLength(LOGGED_UNEXPECTED_ERRORS);
    expect(lines.filter((line) => line.includes('further unexpected errors are not logged'))).toHaveLength(1);
    expect(lines.at(-1)).toContain('further unexpected errors are not logged');
  });

  it('survives a log that throws', () => {
    const source = new EventEmitter();
    keepRunningOnUnexpectedErrors(source, {
      error: () => {
        throw new Error('EPIPE');
      },
    });
    expect(() => source.emit('uncaughtException', new Error('boom'))).not.toThrow();
  });
});
