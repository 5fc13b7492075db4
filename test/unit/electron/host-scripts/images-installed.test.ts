import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/images-installed.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

function dir(files: string[]) {
  const path = scratchDir('fd-inst-');
  for (const f of files) writeFileSync(join(path, f), 'x');
  return path;
}

describe('images-installed.sh under dash', () => {
  const complete = ['vmlinux-6.1', 'vmlinux-6.1.sha256', 'rootfs-u.ext4', 'rootfs-u.ext4.sha256'];

  it('finds any checksummed pair when none is named, and the named pair when asked', () => {
    expect(runUnderDash(script, [dir(complete)])).toMatchObject({ status: 0, stdout: 'vmlinux-6.1\trootfs-u.ext4\n' });
    expect(runUnderDash(script, [dir(complete), 'vmlinux-6.1', 'rootfs-u.ext4'])).toMatchObject({ status: 0, stdout: 'vmlinux-6.1\trootfs-u.ext4\n' });
  });

  it('exits 1 when an image or its checksum is missing, or the folder is', () => {
    expect(runUnderDash(script, [dir(['vmlinux-6.1', 'vmlinux-6.1.sha256', 'rootfs-u.ext4'])]).status).toBe(1);
    expect(runUnderDash(script, [dir(complete), 'vmlinux-6.1', 'rootfs-other.ext4']).status).toBe(1);
    expect(runUnderDash(script, ['/nonexistent/images']).status).toBe(1);
  });
});
