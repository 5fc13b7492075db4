import { describe, expect, it } from 'vitest';
import { resolveStaticFile } from '../../../../electron/transport/static-files';

describe('resolveStaticFile', () => {
  const root = '/opt/firedeck/renderer';

  it('serves index.html for / and files with known types', () => {
    expect(resolveStaticFile(root, '/')).toEqual({ path: `${root}/index.html`, contentType: 'text/html; charset=utf-8' });
    expect(resolveStaticFile(root, '/assets/index-abc.js')?.path).toBe(`${root}/assets/index-abc.js`);
  });

  it('never leaves the renderer folder', () => {
    for (const path of ['/../secret.js', '/assets/../../x.js', '/%2e%2e/x.js', '/..%2fx.js', '/a%00.js', '/a\\..\\b.js', '/%E0%A4%A.js']) {
      expect(resolveStaticFile(root, path), path).toBeNull();
    }
  });

  it('refuses files of unknown type', () => {
    expect(resolveStaticFile(root, '/settings.json.bak')).toBeNull();
  });
});
