import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/image-checksum-record.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { scratchDir } from '../../../support/temp-dir';

describe('image-checksum-record.sh under dash', () => {
  it('writes PATH.sha256 and leaves no temp file', () => {
    const dir = scratchDir('fd-sum-');
    expect(runUnderDash(script, [join(dir, 'vmlinux-x'), 'ab'.repeat(32)]).status).toBe(0);
    expect(readFileSync(join(dir, 'vmlinux-x.sha256'), 'utf8')).toBe(`${'ab'.repeat(32)}\n`);
    expect(readdirSync(dir)).toEqual(['vmlinux-x.sha256']);
  });

  it('fails when the folder cannot take the file', () => {
    expect(runUnderDash(script, ['/nonexistent/dir/vmlinux', 'ab'.repeat(32)]).status).not.toBe(0);
  });
});
