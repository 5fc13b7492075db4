import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../../../../electron/transport/request-target';

describe('parseRequestTarget', () => {
  it('takes the path and query of a target a browser sends', () => {
    const target = parseRequestTarget('/bridge?token=a%2Bb&x=1');
    expect(target?.pathname).toBe('/bridge');
    expect(target?.query.get('token')).toBe('a+b');
    expect(parseRequestTarget('/assets/index-abc.js')?.pathname).toBe('/assets/index-abc.js');
  });

  it('refuses, without throwing, anything that is not a path on this server', () => {
    for (const target of [undefined, '', '*', '//x:99999', '//[', '//a:b@', '//evil.example/bridge', 'http://evil.example/', 'x', '/\\\\evil.example/']) {
      expect(parseRequestTarget(target), String(target)).toBeNull();
    }
  });
});
