import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/tap-ensure.sh';
import { runUnderDash } from '../../../support/host-script-harness';

const dir = mkdtempSync(join(tmpdir(), 'firedeck-tap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = join(dir, 'calls');
const record = (name: string) => `printf '%s\\n' "${name} $*" >> '${log}'`;

describe('tap-ensure.sh under dash', () => {
  it('does nothing for a tap that exists', () => {
    const run = runUnderDash(script, ['fc-tap0'], { standIns: { ip: `${record('ip')}\nexit 0`, sudo: `${record('sudo')}\nexit 1` } });
    expect(run.status).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe('ip link show fc-tap0\n');
  });

  it('creates a missing tap with sudo, owned by the SSH user, and brings it up', () => {
    rmSync(log, { force: true });
    const run = runUnderDash(script, ['fc-tap1'], {
      standIns: { ip: `${record('ip')}\n[ "$1 $2" = "link show" ] && exit 1\nexit 0`, sudo: `${record('sudo')}\nshift\n[ "$1" = true ] || "$@"`, id: 'echo builder' },
    });
    expect(run.status).toBe(0);
    expect(readFileSync(log, 'utf8')).toContain('ip tuntap add dev fc-tap1 mode tap user builder\n');
    expect(readFileSync(log, 'utf8')).toContain('ip link set fc-tap1 up\n');
  });

  it('exits 10 when the tap is missing and sudo asks for a password', () => {
    const run = runUnderDash(script, ['fc-tap2'], { standIns: { ip: 'exit 1', sudo: 'echo "sudo: a password is required" >&2; exit 1' } });
    expect(run.status).toBe(10);
  });
});
