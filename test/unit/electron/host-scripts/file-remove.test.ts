import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/file-remove.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

describe('file-remove.sh under dash', () => {
  it('removes the file, and succeeds when it is already gone', () => {
    const path = join(scratchDir('fd-rm-'), '-n x');
    writeFileSync(path, 'x');
    expect(runUnderDash(script, [path]).status).toBe(0);
    expect(existsSync(path)).toBe(false);
    expect(runUnderDash(script, [path]).status).toBe(0);
  });

  it('fails on what it may not remove', () => {
    expect(runUnderDash(script, [tmpdir()]).status).not.toBe(0);
  });
});
