import { describe, expect, it } from 'vitest';
import { LAUNCH_CODE_TTL_MS, createBridgeAccess } from '../../../../electron/transport/bridge-access';
import { BRIDGE_CLOSE_LAUNCH_CODE_REFUSED, BRIDGE_CLOSE_TOKEN_REFUSED } from '../../../../shared/bridge-protocol';

const query = (text: string) => new URLSearchParams(text);

describe('bridge access', () => {
  it('lets the session token in, and nothing that merely resembles it', () => {
    const access = createBridgeAccess();
    expect(access.token).toMatch(/^[\w-]{43}$/);
    expect(access.check(query(`token=${access.token}`))).toEqual({ ok: true, handOver: false });
    for (const wrong of ['', 'token=', `token=${access.token}x`, `token=${access.token.slice(1)}`, `token=${'A'.repeat(43)}`]) {
      expect(access.check(query(wrong)), wrong).toMatchObject({ ok: false, closeCode: BRIDGE_CLOSE_TOKEN_REFUSED });
    }
  });

  it('takes each launch code once, and hands over the token for it', () => {
    const access = createBridgeAccess();
    const [a, b] = [access.issueLaunchCode(), access.issueLaunchCode()];
    expect(a).not.toBe(b);
    expect(a).not.toContain(access.token);
    expect(access.check(query(`launch=${a}`))).toEqual({ ok: true, handOver: true });
    expect(access.check(query(`launch=${a}`))).toMatchObject({ ok: false, closeCode: BRIDGE_CLOSE_LAUNCH_CODE_REFUSED });
    // A launch code is not a token, and the token is not a launch code.
    expect(access.check(query(`token=${b}`))).toMatchObject({ ok: false, closeCode: BRIDGE_CLOSE_TOKEN_REFUSED });
    expect(access.check(query(`launch=${access.token}`))).toMatchObject({ ok: false, closeCode: BRIDGE_CLOSE_LAUNCH_CODE_REFUSED });
    expect(access.check(query(`launch=${b}`))).toEqual({ ok: true, handOver: true });
  });

  it('lets a launch code the browser never used expire', () => {
    let now = 1_000;
    const access = createBridgeAccess({ now: () => now });
    const [late, inTime] = [access.issueLaunchCode(), access.issueLaunchCode()];
    now += LAUNCH_CODE_TTL_MS - 1;
    expect(access.check(query(`launch=${inTime}`))).toMatchObject({ ok: true });
    now += 1;
    expect(access.check(query(`launch=${late}`))).toMatchObject({ ok: false, closeCode: BRIDGE_CLOSE_LAUNCH_CODE_REFUSED });
  });
});
