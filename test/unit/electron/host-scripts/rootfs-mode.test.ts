import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/rootfs-mode.sh';
import { runUnderDash } from '../../../support/host-script-harness';

const modeOf = (standIns: Record<string, string>) => /mode=(\w+)/.exec(runUnderDash(script, [], { standIns }).stdout)?.[1];
const notRoot = 'case "$1" in -u) echo 1000 ;; *) echo alice ;; esac';

describe('rootfs-mode.sh under dash', () => {
  it('root needs nothing; otherwise a working fakeroot, then passwordless sudo', () => {
    expect(modeOf({ id: 'case "$1" in -u) echo 0 ;; *) echo root ;; esac' })).toBe('root');
    expect(modeOf({ id: notRoot, fakeroot: 'exit 0' })).toBe('fakeroot');
    expect(modeOf({ id: notRoot, fakeroot: 'exit 1', sudo: 'exit 0' })).toBe('sudo');
    expect(modeOf({ id: notRoot, fakeroot: 'exit 127', sudo: 'exit 1' })).toBe('none');
  });

  it('names the user', () => {
    expect(runUnderDash(script, [], { standIns: { id: notRoot, fakeroot: 'exit 0' } }).stdout).toContain('user=alice\n');
  });
});
