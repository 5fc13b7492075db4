import { describe, expect, it } from 'vitest';
import { connectionBanner } from '../../../../renderer/store/connection-slice';

describe('the connection banner', () => {
  it('says nothing while connected or connecting', () => {
    expect(connectionBanner({ state: 'connected' })).toBeNull();
    expect(connectionBanner({ state: 'connecting' })).toBeNull();
  });

  it('explains a refused token: the backend restarted, paste the new address', () => {
    const banner = connectionBanner({ state: 'refused', credential: 'token' });
    expect(banner).toMatchObject({ tone: 'error', title: expect.stringContaining('refused this tab’s access token') });
    expect(banner?.body).toMatch(/restarted/);
    expect(banner?.body).toMatch(/Paste the new address it printed/);
  });

  it('explains a used launch link, and what it means if the user did not use it', () => {
    const banner = connectionBanner({ state: 'refused', credential: 'launch' });
    expect(banner?.title).toBe('This one-time link was already used');
    expect(banner?.body).toMatch(/#token=/);
    expect(banner?.body).toMatch(/another program on this computer may have/);
  });
});
