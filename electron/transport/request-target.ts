/** A request target of the browser-mode server, taken apart without trusting it. */
export interface RequestTarget {
  pathname: string;
  query: URLSearchParams;
}

const base = 'http://firedeck.invalid';

/**
 * The path and query of an origin-form request target (`/bridge?token=…`), or null when the
 * target is anything else: empty, `*`, an absolute URL, or a `//host…` form that a URL parser
 * would read as another server (`//x:99999` and `//[` even make it throw). Browsers only ever
 * send origin-form targets to this server, so refusing the rest loses nothing.
 */
export function parseRequestTarget(target: string | undefined): RequestTarget | null {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return null;
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    return null;
  }
  if (url.origin !== base) return null;
  return { pathname: url.pathname, query: url.searchParams };
}
