import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/kvm-grant.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

describe('kvm-grant.sh under dash', () => {
  it('adds the user to the group of /dev/kvm through sudo', () => {
    const log = join(scratchDir('fd-kvm-'), 'sudo.log');
    const run = runUnderDash(script, [], { standIns: { stat: 'echo kvm-users', id: 'echo alice', sudo: `printf '%s\\n' "$*" > '${log}'` } });
    expect(run.status).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('-n usermod -aG kvm-users alice\n');
  });

  it('exits 2 without /dev/kvm, and 3 when sudo asks for a password', () => {
    expect(runUnderDash(script, [], { standIns: { stat: 'exit 1' } }).status).toBe(2);
    expect(runUnderDash(script, [], { standIns: { stat: 'echo kvm', sudo: 'exit 1' } }).status).toBe(3);
  });
});
