import { describe, expect, it } from 'vitest';
import { credentialsFromHash, credentialsQuery } from '../../../../renderer/api/credentials';

describe('browser-mode credentials in the address', () => {
  it('reads the token of a printed address and the code of a launch link', () => {
    expect(credentialsFromHash('#token=abc-_1')).toEqual({ kind: 'token', token: 'abc-_1' });
    expect(credentialsFromHash('#launch=xyz')).toEqual({ kind: 'launch', code: 'xyz' });
  });

  it('finds none in a view fragment or an empty one', () => {
    for (const hash of ['', '#', '#/vms', '#token=', '#launch=']) expect(credentialsFromHash(hash), hash).toBeNull();
  });

  it('puts them in the bridge query, escaped', () => {
    expect(credentialsQuery({ kind: 'token', token: 'a+b' })).toBe('token=a%2Bb');
    expect(credentialsQuery({ kind: 'launch', code: 'c&d' })).toBe('launch=c%26d');
  });
});
