import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/package-install.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { onlyTools } from './tool-path';
import { scratchDir } from '../../../support/temp-dir';

describe('package-install.sh under dash', () => {
  const log = join(scratchDir('fd-pkg-'), 'sudo.log');
  const sudo = `printf '%s\\n' "$*" >> '${log}'`;

  it('installs with the first package manager it finds, through sudo', () => {
    // Only dnf is on this PATH (besides what the script needs): apt-get is not found.
    const run = runUnderDash(script, ['fakeroot'], { standIns: { sudo, dnf: 'exit 0' }, env: { PATH: onlyTools() } });
    expect(run.status).toBe(0);
    expect(readFileSync(log, 'utf8')).toContain('-n dnf install -y fakeroot');
  });

  it('exits 4 when there is no package manager it knows', () => {
    expect(runUnderDash(script, ['socat'], { standIns: { sudo: 'exit 0' }, env: { PATH: onlyTools() } }).status).toBe(4);
  });

  it('exits 5 when sudo asks for a password', () => {
    expect(runUnderDash(script, ['socat'], { standIns: { sudo: 'exit 1', 'apt-get': 'exit 0' } }).status).toBe(5);
  });
});
