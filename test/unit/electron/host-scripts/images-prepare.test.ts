import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/images-prepare.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

describe('images-prepare.sh under dash', () => {
  it('makes the folder and removes only what an interrupted run left under temp names', () => {
    const dir = join(scratchDir('fd-prep-'), 'images', 'x86_64');
    mkdirSync(join(dir, '.rootfs-build.abc123', 'tree'), { recursive: true });
    for (const f of ['.vmlinux-6.1.dl', '.rootfs-u.ext4.part', 'vmlinux-6.1', 'vmlinux-6.1.sha256']) writeFileSync(join(dir, f), 'x');
    expect(runUnderDash(script, [dir]).status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['vmlinux-6.1', 'vmlinux-6.1.sha256']);
    expect(runUnderDash(script, [join(dir, 'new')]).status).toBe(0);
  });

  it('fails when the folder cannot be made', () => {
    expect(runUnderDash(script, ['/proc/1/nonexistent/images']).status).not.toBe(0);
  });
});
