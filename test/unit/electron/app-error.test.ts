import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/app-error';
import { code, errorCodes, isErrorCode } from '../../../shared/error-codes';

describe('the error vocabulary', () => {
  it('accepts only listed codes, checked by the compiler', () => {
    // @ts-expect-error an unlisted code does not type-check
    const unlisted = new AppError('NOT_A_CODE', 'never shown');
    expect(isErrorCode(unlisted.code)).toBe(false);
    expect(new AppError('NOT_FOUND', 'gone').toShape()).toEqual({ code: 'NOT_FOUND', message: 'gone' });
  });

  it('gives every code a meaning, and `code` names each one as itself', () => {
    for (const [name, meaning] of Object.entries(errorCodes)) {
      expect(name).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(meaning.length).toBeGreaterThan(10);
      expect(code[name as keyof typeof code]).toBe(name);
    }
    const names = Object.keys(errorCodes);
    expect(names).toEqual([...names].sort());
  });
});
