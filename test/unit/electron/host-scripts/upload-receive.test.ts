import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/upload-receive.sh';
import { runUnderDash } from '../../../support/host-script-harness';

describe('upload-receive.sh under dash', () => {
  it('writes stdin to the temp file, private to the user', () => {
    const temp = join(mkdtempSync(join(tmpdir(), 'fd-recv-')), '.a.part');
    expect(runUnderDash(script, [temp], { input: 'payload\n\\n' }).status).toBe(0);
    expect(readFileSync(temp, 'utf8')).toBe('payload\n\\n');
    expect(statSync(temp).mode & 0o777).toBe(0o600);
  });

  it('fails when the temp file cannot be written', () => {
    expect(runUnderDash(script, ['/nonexistent/.a.part'], { input: 'x' }).status).not.toBe(0);
  });
});
