import { describe, expect, it } from 'vitest';
import probe from '../../../../electron/host-scripts/host-probe.sh';
import { parseProbe } from '../../../../electron/hosts/host-probe';
import { runUnderDash } from '../../../support/host-script-harness';

describe('host-probe.sh under dash', () => {
  it('reports what the host’s tools say, however they answer', () => {
    const run = runUnderDash(probe, [], {
      standIns: {
        uname: 'case "$1" in -m) echo aarch64 ;; -r) echo 6.1.0-test ;; esac',
        sudo: 'exit 1',
        firecracker: 'echo "Firecracker v1.12.0"',
      },
    });
    expect(run.status).toBe(0);
    const facts = parseProbe(run.stdout, new Date(0));
    expect(facts).toMatchObject({ arch: 'aarch64', kernel: '6.1.0-test', sudo: 'password-required', firecracker: { present: true, version: 'Firecracker v1.12.0' } });
  });

  it('prints a backslash in a value as itself (printf, not echo)', () => {
    const run = runUnderDash(probe, [], { standIns: { uname: 'printf "%s\\n" "x\\\\ny"' } });
    expect(parseProbe(run.stdout, new Date(0)).machine).toBe('x\\ny');
  });
});
