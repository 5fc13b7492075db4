import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/images-list.sh';
import { parseImageLine } from '../../../../electron/images/image-service';
import { runUnderDash } from '../../../support/host-script-harness';
import { arm64KernelHeader, x86KernelHeader } from '../../../support/vm-fixtures';
import { scratchDir } from '../../../support/temp-dir';

describe('images-list.sh under dash', () => {
  it('lists each image with its size, recorded checksum and header, and skips checksums and temp files', () => {
    const dir = scratchDir('fd-images-');
    writeFileSync(join(dir, 'vmlinux-6.1'), x86KernelHeader());
    writeFileSync(join(dir, 'vmlinux-6.1.sha256'), `${'a'.repeat(64)}\n`);
    writeFileSync(join(dir, 'odd\nname\\n'), arm64KernelHeader());
    writeFileSync(join(dir, 'rootfs.ext4'), Buffer.alloc(2048));
    writeFileSync(join(dir, '.half.part'), 'x');
    writeFileSync(join(dir, 'x.dl'), 'x');
    const run = runUnderDash(script, [dir]);
    expect(run.status).toBe(0);
    const images = run.stdout.split('\n').filter(Boolean).map((line) => parseImageLine(line, dir));
    expect(images).toEqual(
      expect.arrayContaining([
        { name: 'vmlinux-6.1', path: join(dir, 'vmlinux-6.1'), kind: 'kernel', arch: 'x86_64', sizeBytes: 4096, sha256: 'a'.repeat(64) },
        // A name with a newline and a backslash comes through as itself; the header decides the kind.
        { name: 'odd\nname\\n', path: join(dir, 'odd\nname\\n'), kind: 'kernel', arch: 'aarch64', sizeBytes: 4096 },
        { name: 'rootfs.ext4', path: join(dir, 'rootfs.ext4'), kind: 'rootfs', sizeBytes: 2048 },
      ]),
    );
    expect(images).toHaveLength(3);
  });

  it('lists nothing for a folder that does not exist', () => {
    expect(runUnderDash(script, ['/nonexistent/images'])).toMatchObject({ status: 0, stdout: '' });
  });
});
