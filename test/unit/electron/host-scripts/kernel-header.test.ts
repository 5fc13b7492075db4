import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/kernel-header.sh';
import { detectKernelArch } from '../../../../electron/images/kernel-arch';
import { runUnderDash } from '../../../support/host-script-harness';
import { arm64KernelHeader } from '../../../support/vm-fixtures';
import { scratchDir } from '../../../support/temp-dir';

describe('kernel-header.sh under dash', () => {
  it('prints the first 64 bytes as base64', () => {
    const path = join(scratchDir('fd-kh-'), 'Image');
    writeFileSync(path, arm64KernelHeader());
    const run = runUnderDash(script, [path]);
    expect(run.status).toBe(0);
    const bytes = Buffer.from(run.stdout, 'base64');
    expect(bytes).toHaveLength(64);
    expect(detectKernelArch(bytes)).toEqual({ arch: 'aarch64', format: 'arm64-image' });
  });

  it('exits 2 when there is no readable file', () => {
    expect(runUnderDash(script, ['/nonexistent/vmlinux']).status).toBe(2);
    expect(runUnderDash(script, [tmpdir()]).status).toBe(2);
  });
});
