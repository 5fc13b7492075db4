import { z } from 'zod';
import { channel } from '../channel.js';

/**
 * Why a base URL cannot be used, or null. These URLs end up on a curl command line on the host
 * (quoted, so nothing executes), where curl reads `[…]` and `{…}` as patterns that expand into
 * many URLs; and a URL parser silently drops tabs and line breaks or encodes spaces, so what was
 * typed is not what would be fetched.
 */
function baseUrlProblem(value: string, what: string): string | null {
  if (/\s/.test(value)) return `${what} must not contain spaces or line breaks.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return `${what} must not contain control characters.`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') {
    return `${what} must be an http:// or https:// URL, e.g. https://example.com/mirror.`;
  }
  const rest = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const path = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const host = authority.replace(/^.*@/, '');
  // Brackets are allowed around an IPv6 address only (https://[fd00::1]/mirror), which curl recognises as one.
  const hostBracketsOk = !/[[\]]/.test(host) || /^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(host);
  if (/[[\]{}]/.test(path) || /[{}]/.test(authority) || !hostBracketsOk) {
    return `${what} must not contain [ ] { }: curl on the host would expand them as patterns. Percent-encode them (%5B %5D %7B %7D).`;
  }
  if (url.username !== '' || url.password !== '') {
    return `${what} must not contain a user name or password: it would be visible to every user of the host in its process list.`;
  }
  if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#')) {
    return `${what} must not have a query (?…) or fragment (#…): file names are added to its end.`;
  }
  return null;
}

const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .max(2048, { message: `${what} is too long (2048 characters at most).` })
    .superRefine((value, ctx) => {
      const problem = baseUrlProblem(value, what);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    // A base URL is joined with paths later; one canonical form (scheme and host in lower case,
    // no default port, no trailing slash) avoids `//` in every request.
    .transform((value) => new URL(value).href.replace(/\/+$/, ''));

export const themeSchema = z.enum(['system', 'light', 'dark']);
export type Theme = z.infer<typeof themeSchema>;

export const firecrackerVersionSchema = z
  .string()
  .trim()
  .regex(/^v\d{1,3}\.\d{1,3}\.\d{1,3}$/, { message: 'Firecracker version must look like v1.12.0.' });

export const settingsSchema = z.object({
  theme: themeSchema,
  /** Where Firecracker release tarballs are downloaded from (`…/vX.Y.Z/firecracker-vX.Y.Z-ARCH.tgz`). */
  firecrackerReleaseBaseUrl: httpUrl('Firecracker release URL'),
  /** Root of the S3-style bucket that lists kernels and rootfs images. */
  imageBaseUrl: httpUrl('Image catalog URL'),
  /** The Firecracker version the setup wizard installs. */
  firecrackerVersion: firecrackerVersionSchema,
  /**
   * Where the hosts' VM networks take their addresses from, in /30 blocks (one per microVM):
   * a private IPv4 network from /12 to /30. The backend refuses, at each VM start, a pool that
   * overlaps a host's routes; Settings asks the hosts before saving.
   */
  networkPool: z
    .string()
    .trim()
    .regex(/^(?:\d{1,3}\.){3}\d{1,3}\/(?:1[2-9]|2\d|30)$/, { message: 'The network pool is a private IPv4 network written as address/prefix, prefix 12 to 30, e.g. 10.231.0.0/16.' }),
});
export type Settings = z.output<typeof settingsSchema>;

export const defaultSettings: Settings = {
  theme: 'system',
  firecrackerReleaseBaseUrl: 'https://github.com/firecracker-microvm/firecracker/releases/download',
  imageBaseUrl: 'https://s3.amazonaws.com/spec.ccfc.min',
  firecrackerVersion: 'v1.12.0',
  networkPool: '10.231.0.0/16',
};

export const settingsChannels = {
  'settings.get': channel<Settings>()(z.undefined()),
  /** Changes only the fields given; unknown fields are refused rather than silently dropped. */
  'settings.update': channel<Settings>()(settingsSchema.partial().strict()),
  'settings.reset': channel<Settings>()(z.undefined()),
};
