import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import uninstall from '../../../../electron/host-scripts/net-helper-uninstall.sh';
import { helperFixture, sudoStandIn } from '../../../support/helper-fixture';
import type { HelperFixture } from '../../../support/helper-fixture';
import { runUnderDash } from '../../../support/host-script-harness';

let f: HelperFixture;
beforeEach(() => {
  f = helperFixture();
  writeFileSync(join(f.sudoersDir, 'firedeck-root'), `root ALL=(root) NOPASSWD: ${f.helper}\n`);
  writeFileSync(join(f.sudoersDir, 'unrelated'), 'someone ALL=(ALL) ALL\n');
});
afterEach(() => f.cleanup());

const run = (options: { mode?: string; input?: string; env?: NodeJS.ProcessEnv } = {}) =>
  runUnderDash(uninstall, [options.mode ?? 'passwordless', f.helper, f.sudoersDir], { input: options.input, env: options.env, standIns: { sudo: f.recorder(sudoStandIn) } });

describe('net-helper-uninstall.sh under dash', () => {
  it('removes this user’s rule, the helper and its folder, and nothing else', () => {
    expect(run()).toMatchObject({ status: 0, stdout: 'helper=removed\n' });
    expect(readdirSync(f.sudoersDir)).toEqual(['unrelated']);
    expect(existsSync(join(f.dir, 'libexec'))).toBe(false);
  });

  it('keeps the helper while another user’s rule names it', () => {
    writeFileSync(join(f.sudoersDir, 'firedeck-other'), `other ALL=(root) NOPASSWD: ${f.helper}\n`);
    expect(run({ mode: 'password', input: 'pw\n', env: { FD_SUDO_PASSWORD: 'pw' } })).toMatchObject({ status: 0, stdout: 'helper=kept\n' });
    expect(readdirSync(f.sudoersDir).sort()).toEqual(['firedeck-other', 'unrelated']);
    expect(existsSync(f.helper)).toBe(true);
  });

  it('changes nothing when sudo refuses', () => {
    expect(run({ mode: 'password', input: 'bad\n', env: { FD_SUDO_PASSWORD: 'pw' } }).status).toBe(52);
    expect(run({ env: { FD_SUDO_NEEDS_PASSWORD: '1' } }).status).toBe(51);
    expect(readdirSync(f.sudoersDir).sort()).toEqual(['firedeck-root', 'unrelated']);
    expect(existsSync(f.helper)).toBe(true);
  });
});
