import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/upload-prepare.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

describe('upload-prepare.sh under dash', () => {
  it('makes the folder under $HOME and prints the absolute destination, a name with $(…) taken as text', () => {
    const home = scratchDir('fd-home-');
    const run = runUnderDash(script, ['.firedeck/workspaces/w/$(touch pwned)/a b.txt'], { env: { HOME: home } });
    expect(run).toMatchObject({ status: 0, stdout: `${home}/.firedeck/workspaces/w/$(touch pwned)/a b.txt` });
    expect(existsSync(`${home}/.firedeck/workspaces/w/$(touch pwned)`)).toBe(true);
    expect(existsSync('pwned')).toBe(false);
  });

  it('fails when the folder cannot be made', () => {
    expect(runUnderDash(script, ['x/y'], { env: { HOME: '/proc/1/nonexistent' } }).status).not.toBe(0);
  });
});
