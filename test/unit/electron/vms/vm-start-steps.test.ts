import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootSteps, prepareRunDir, restoreSteps, rollbackSteps } from '../../../../electron/vms/vm-start-steps';
import { makeTempDir } from '../../../support/temp-dir';

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

describe('host.prepareRunDir for a restored clone', () => {
  it('writes the clone’s own config.json: the source’s boot-timing record is not carried over', async () => {
    const root = await makeTempDir('firedeck-prepare-');
    try {
      // The connection runs what it is sent under dash, here.
      const connection = {
        name: 'here',
        exec: async (script: string) => {
          const r = spawnSync('dash', ['-c', script], { encoding: 'utf8' });
          return { output: r.stdout, stderr: r.stderr, exitCode: r.status ?? 1 };
        },
      };
      const dir = join(root.path, 'vms', 'clone');
      // What restore passes: the source VM's config.json, with the new id.
      const source = { hostId: 'h1', id: 'clone', vcpus: 1, memoryMib: 128, kernel: '/k', rootfs: '/r', createdAt: '2026-01-01T00:00:00Z', bootTiming: { createToStartMs: 900, startToLoginMs: 2100 } };
      const ctx = { request: source, connection, paths: { dir }, hostName: 'here' } as unknown as Parameters<typeof prepareRunDir.run>[0];
      await prepareRunDir.run(ctx);
      const written = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      expect(written).toMatchObject({ id: 'clone', vcpus: 1 });
      expect(written).not.toHaveProperty('bootTiming');
      expect(written.createdAt).not.toBe(source.createdAt);
    } finally {
      await root.cleanup();
    }
  });
});
