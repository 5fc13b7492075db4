import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/kernel-install.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

describe('kernel-install.sh under dash', () => {
  it('records the checksum and renames the download', () => {
    const dir = scratchDir('fd-kern-');
    writeFileSync(join(dir, '.vmlinux-6.1.dl'), 'kernel bytes');
    expect(runUnderDash(script, [dir, '.vmlinux-6.1.dl', 'vmlinux-6.1']).status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['vmlinux-6.1', 'vmlinux-6.1.sha256']);
    expect(readFileSync(join(dir, 'vmlinux-6.1.sha256'), 'utf8')).toBe(`${createHash('sha256').update('kernel bytes').digest('hex')}\n`);
  });

  it('fails when the download is missing', () => {
    expect(runUnderDash(script, [scratchDir('fd-kern-'), '.gone.dl', 'vmlinux']).status).not.toBe(0);
  });
});
