/**
 * What a browser-mode tab presents to the bridge: the session token (from the address
 * `npm run web` printed, `#token=…`), or a one-time launch code (from the address it started
 * the browser with, `#launch=…`), which the bridge exchanges for the token.
 */
export type Credentials = { kind: 'token'; token: string } | { kind: 'launch'; code: string };

/** The credentials in a URL fragment, or null when it holds none (`#/vms`, or nothing). */
export function credentialsFromHash(hash: string): Credentials | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  if (token) return { kind: 'token', token };
  const code = params.get('launch');
  if (code) return { kind: 'launch', code };
  return null;
}

/** The bridge query for these credentials. */
export function credentialsQuery(credentials: Credentials): string {
  return credentials.kind === 'token' ? `token=${encodeURIComponent(credentials.token)}` : `launch=${encodeURIComponent(credentials.code)}`;
}
