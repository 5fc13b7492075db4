import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/upload-finish.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

describe('upload-finish.sh under dash', () => {
  it('renames the checked upload over the destination', () => {
    const dir = scratchDir('fd-fin-');
    writeFileSync(join(dir, '.a.part'), 'new');
    writeFileSync(join(dir, 'a'), 'old');
    expect(runUnderDash(script, [join(dir, '.a.part'), join(dir, 'a')]).status).toBe(0);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('new');
    expect(existsSync(join(dir, '.a.part'))).toBe(false);
  });

  it('fails when the upload is gone', () => {
    expect(runUnderDash(script, ['/nonexistent/.a.part', '/nonexistent/a']).status).not.toBe(0);
  });
});
