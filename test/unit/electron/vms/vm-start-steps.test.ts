import { describe, expect, it } from 'vitest';
import { bootSteps, restoreSteps, rollbackSteps } from '../../../../electron/vms/vm-start-steps';

const names = (list: readonly { name: string }[]) => list.map((s) => s.name);

describe('the VM start lists', () => {
  it('boot: the disk is made after the run directory and before Firecracker starts; the console watcher starts with Firecracker; the drive is the relative rootfs.ext4', () => {
    const boot = names(bootSteps);
    expect(boot.indexOf('host.createDisk')).toBe(boot.indexOf('host.prepareRunDir') + 1);
    expect(boot.indexOf('host.watchConsoleLog')).toBe(boot.indexOf('host.startFirecracker') + 1);
    expect(boot).toContain('fc.putRootDrive');
  });

  it('restore as new VM: a new run directory gets its own copy of the snapshot’s disk before Firecracker starts, and no image copy', () => {
    const restore = names(restoreSteps);
    expect(restore).not.toContain('host.createDisk');
    expect(restore.indexOf('host.restoreDisk')).toBe(restore.indexOf('host.prepareRunDir') + 1);
    expect(restore.indexOf('host.restoreDisk')).toBeLessThan(restore.indexOf('host.startFirecracker'));
    expect(restore).toContain('host.watchConsoleLog');
    expect(restore).toContain('fc.loadSnapshot');
    expect(restore).not.toContain('fc.instanceStart');
  });

  it('roll back: the VM’s own run directory stays (no prepare, whose undo would delete it); its disk is replaced, then the snapshot loaded', () => {
    const rollback = names(rollbackSteps);
    expect(rollback).not.toContain('host.prepareRunDir');
    expect(rollback).not.toContain('validate.config');
    expect(rollback.slice(rollback.indexOf('host.restoreDisk'))).toEqual(expect.arrayContaining(['host.startFirecracker', 'fc.connect', 'fc.loadSnapshot']));
    expect(rollback.indexOf('host.restoreDisk')).toBeLessThan(rollback.indexOf('host.startFirecracker'));
  });
});
