import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/upload-abandon.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

describe('upload-abandon.sh under dash', () => {
  it('removes the temp file under the home, and is content when it is gone already', () => {
    const home = scratchDir('fd-abandon-');
    mkdirSync(join(home, 'ws'));
    writeFileSync(join(home, 'ws', '.a.part'), 'half');
    expect(runUnderDash(script, ['ws/.a.part'], { env: { HOME: home } }).status).toBe(0);
    expect(existsSync(join(home, 'ws', '.a.part'))).toBe(false);
    expect(runUnderDash(script, ['ws/.a.part'], { env: { HOME: home } }).status).toBe(0);
  });
});
