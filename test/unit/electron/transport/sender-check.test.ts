import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../../electron/transport/sender-check';

describe('isTrustedSender', () => {
  it('accepts only the main frame of the app origin', () => {
    expect(isTrustedSender({ url: 'app://firedeck/index.html', isMainFrame: true })).toBe(true);
    expect(isTrustedSender({ url: 'app://firedeck/index.html', isMainFrame: false })).toBe(false);
    expect(isTrustedSender({ url: 'https://firedeck/index.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'app://evil/index.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'file:///Users/me/index.html', isMainFrame: true })).toBe(false);
    expect(isTrustedSender({ url: 'not a url', isMainFrame: true })).toBe(false);
    expect(isTrustedSender(null)).toBe(false);
  });
});
