import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/file-sha256.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { onlyTools } from './tool-path';
import { scratchDir } from '../../../support/temp-dir';

describe('file-sha256.sh under dash', () => {
  const path = join(scratchDir('fd-sha-'), 'f');
  writeFileSync(path, 'some bytes');
  const expected = createHash('sha256').update('some bytes').digest('hex');

  it('prints the SHA-256 with openssl, and with sha256sum where openssl is missing', () => {
    expect(runUnderDash(script, [path]).stdout.trim()).toBe(expected);
    const noOpenssl = runUnderDash(script, [path], { env: { PATH: onlyTools('sha256sum', 'cut') } });
    expect(noOpenssl.stdout.trim()).toBe(expected);
  });

  it('exits 2 when the file is missing', () => {
    expect(runUnderDash(script, ['/nonexistent/f']).status).toBe(2);
  });
});
