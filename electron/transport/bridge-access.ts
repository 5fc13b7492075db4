import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { BRIDGE_CLOSE_LAUNCH_CODE_REFUSED, BRIDGE_CLOSE_TOKEN_REFUSED } from '../../shared/bridge-protocol.js';

/** How long a launch code waits for the browser to use it. */
export const LAUNCH_CODE_TTL_MS = 2 * 60_000;

export type AccessVerdict =
  /** `handOver`: the connection came with a launch code and is to receive the session token. */
  | { ok: true; handOver: boolean }
  | { ok: false; closeCode: number; reason: string };

/**
 * Who may use the bridge. The session token is what the printed address carries (`#token=`).
 * A launch code is what the browser is started with instead: a command line is readable by every
 * local user (/proc/PID/cmdline, for as long as the browser runs), so what goes there works once,
 * for a short time, and is exchanged over the socket for the token.
 */
export interface BridgeAccess {
  readonly token: string;
  /** A new one-time code, valid for LAUNCH_CODE_TTL_MS or until used. */
  issueLaunchCode(): string;
  check(query: URLSearchParams): AccessVerdict;
}

export function createBridgeAccess(options: { token?: string; now?: () => number } = {}): BridgeAccess {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const expected = Buffer.from(token);
  const now = options.now ?? Date.now;
  /** sha256(code) → expiry. Looking a code up by its hash leaks nothing about the codes held. */
  const launchCodes = new Map<string, number>();
  const digest = (code: string) => createHash('sha256').update(code).digest('hex');
  const forgetExpired = () => {
    for (const [key, expires] of launchCodes) if (expires <= now()) launchCodes.delete(key);
  };

  return {
    token,
    issueLaunchCode() {
      forgetExpired();
      const code = randomBytes(24).toString('base64url');
      launchCodes.set(digest(code), now() + LAUNCH_CODE_TTL_MS);
      return code;
    },
    check(query) {
      const code = query.get('launch');
      if (code !== null) {
        forgetExpired();
        const key = digest(code);
        if (!launchCodes.delete(key)) {
          return { ok: false, closeCode: BRIDGE_CLOSE_LAUNCH_CODE_REFUSED, reason: 'launch code already used, expired or unknown' };
        }
        return { ok: true, handOver: true };
      }
      const presented = Buffer.from(query.get('token') ?? '');
      if (presented.length === expected.length && timingSafeEqual(presented, expected)) return { ok: true, handOver: false };
      return { ok: false, closeCode: BRIDGE_CLOSE_TOKEN_REFUSED, reason: 'access token missing or not this launch’s' };
    },
  };
}
