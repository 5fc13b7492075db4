import { describe, expect, it } from 'vitest';
import { defaultSettings, settingsChannels, settingsSchema } from '../../../../shared/channels/settings';

const update = settingsChannels['settings.update'].input;

/** The one message the schema gives for `imageBaseUrl: value`, or the value it stores. */
function imageBaseUrl(value: string): { stored: string } | { refused: string } {
  const parsed = update.safeParse({ imageBaseUrl: value });
  if (parsed.success) return { stored: parsed.data.imageBaseUrl! };
  expect(parsed.error.issues, value).toHaveLength(1);
  expect(parsed.error.issues[0]!.path, value).toEqual(['imageBaseUrl']);
  return { refused: parsed.error.issues[0]!.message };
}

describe('settings URLs', () => {
  it('are stored in one form: trimmed, no trailing slash, scheme and host in lower case, no default port', () => {
    expect(imageBaseUrl('  https://mirror.example/firecracker/  ')).toEqual({ stored: 'https://mirror.example/firecracker' });
    expect(imageBaseUrl('https://mirror.example///')).toEqual({ stored: 'https://mirror.example' });
    expect(imageBaseUrl('HTTPS://Mirror.Example:443/Path/')).toEqual({ stored: 'https://mirror.example/Path' });
    expect(imageBaseUrl('http://10.0.0.5:8080/s3')).toEqual({ stored: 'http://10.0.0.5:8080/s3' });
    expect(imageBaseUrl('http://[fd00::1]:8080/mirror')).toEqual({ stored: 'http://[fd00::1]:8080/mirror' });
    expect(imageBaseUrl('https://mirror.example/a%5B1%5D')).toEqual({ stored: 'https://mirror.example/a%5B1%5D' });
  });

  it('refuse what curl on the host would expand into other URLs, naming the characters', () => {
    for (const value of ['https://mirror.example/v[1-9]', 'https://mirror.example/{a,b}/x', 'https://{a,b}.example/', 'https://mirror.example/]']) {
      expect(imageBaseUrl(value), value).toEqual({ refused: 'Image catalog URL must not contain [ ] { }: curl on the host would expand them as patterns. Percent-encode them (%5B %5D %7B %7D).' });
    }
  });

  it('refuse spaces and line breaks inside, which a URL parser would silently drop or encode', () => {
    for (const value of ['https://mirror.example/my folder', 'https://mirror.exa\nmple/', 'https://mirror.example/a\tb', 'https://mirror.example/\r\nHost: x']) {
      expect(imageBaseUrl(value), JSON.stringify(value)).toEqual({ refused: 'Image catalog URL must not contain spaces or line breaks.' });
    }
    expect(imageBaseUrl('https://mirror.example/\u0000')).toEqual({ refused: 'Image catalog URL must not contain control characters.' });
  });

  it('refuse what is not an http(s) base URL, with a message that says what is wanted', () => {
    for (const value of ['', 'mirror.example', 'ftp://mirror.example', 'file:///etc/passwd', 'https://', 'javascript:alert(1)']) {
      expect(imageBaseUrl(value), value).toEqual({ refused: 'Image catalog URL must be an http:// or https:// URL, e.g. https://example.com/mirror.' });
    }
    expect(imageBaseUrl('https://user:secret@mirror.example/')).toMatchObject({ refused: expect.stringContaining('must not contain a user name or password') });
    expect(imageBaseUrl('https://mirror.example/?list-type=2')).toMatchObject({ refused: expect.stringContaining('must not have a query') });
    expect(imageBaseUrl('https://mirror.example/#top')).toMatchObject({ refused: expect.stringContaining('or fragment') });
    expect(imageBaseUrl(`https://mirror.example/${'a'.repeat(2048)}`)).toMatchObject({ refused: expect.stringContaining('too long') });
  });

  it('name the field in the message, and the defaults pass unchanged', () => {
    const parsed = update.safeParse({ firecrackerReleaseBaseUrl: 'https://github.com/x/{y}' });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toMatch(/^Firecracker release URL must not contain \[ \] \{ \}/);
    expect(settingsSchema.parse(defaultSettings)).toEqual(defaultSettings);
  });
});
