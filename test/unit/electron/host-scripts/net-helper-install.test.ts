import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import install from '../../../../electron/host-scripts/net-helper-install.sh';
import { helperFixture, sudoStandIn } from '../../../support/helper-fixture';
import type { HelperFixture } from '../../../support/helper-fixture';
import { runUnderDash } from '../../../support/host-script-harness';

let f: HelperFixture;
let target: string;
beforeEach(() => {
  f = helperFixture();
  target = join(f.dir, 'new', 'firedeck', 'firedeck-helper');
});
afterEach(() => f.cleanup());

const text = '#!/bin/sh\n# a helper\nprintf "version=1\\n"\n';
const sha = createHash('sha256').update(text).digest('hex');

function run(options: { mode?: 'password' | 'passwordless'; input?: string; env?: NodeJS.ProcessEnv; sha?: string; standIns?: Record<string, string> } = {}) {
  return runUnderDash(install, [options.mode ?? 'passwordless', target, options.sha ?? sha, text, f.sudoersDir], {
    input: options.input,
    env: options.env,
    standIns: { sudo: f.recorder(sudoStandIn), ...options.standIns },
  });
}

describe('net-helper-install.sh under dash', () => {
  it('installs the helper root-owned 0755 and a visudo-checked rule 0440 for this user, leaving nothing staged', () => {
    const result = run();
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ status: 0, stdout: `helper=${target}\nsudoers=${f.sudoersDir}/firedeck-root\n` });
    expect(readFileSync(target, 'utf8')).toBe(text);
    expect(statSync(target)).toMatchObject({ uid: 0, gid: 0, mode: 0o100755 });
    expect(statSync(join(f.sudoersDir, 'firedeck-root')).mode).toBe(0o100440);
    expect(readFileSync(join(f.sudoersDir, 'firedeck-root'), 'utf8')).toContain(`\nroot ALL=(root) NOPASSWD: ${target}\n`);
    expect(readdirSync(f.sudoersDir)).toEqual(['firedeck-root']);
    expect(readdirSync(join(f.dir, 'new', 'firedeck'))).toEqual(['firedeck-helper']);
    expect(f.calls()).toContainEqual(`sudo [-n] [--] [visudo] [-cf] [${f.sudoersDir}/firedeck-root.new]`);
  });

  it('passes a sudo password on stdin to sudo -S only, never as an argument', () => {
    const password = 'pa ss;$(word)';
    const result = run({ mode: 'password', input: `${password}\n`, env: { FD_SUDO_PASSWORD: password } });
    expect(result.status).toBe(0);
    expect(existsSync(target)).toBe(true);
    expect(f.calls().length).toBeGreaterThan(3);
    for (const call of f.calls()) {
      expect(call).toMatch(/^sudo \[-S\] \[-p\] \[\] \[--\]/);
      expect(call).not.toContain('word');
    }
  });

  it('exits 52 on a wrong password and 51 when sudo -n needs one, changing nothing', () => {
    expect(run({ mode: 'password', input: 'wrong\n', env: { FD_SUDO_PASSWORD: 'right' } }).status).toBe(52);
    expect(run({ env: { FD_SUDO_NEEDS_PASSWORD: '1' } }).status).toBe(51);
    expect(existsSync(join(f.dir, 'new'))).toBe(false);
    expect(readdirSync(f.sudoersDir)).toEqual([]);
  });

  it('exits 54 when the text does not match its SHA-256, 53 for a user name sudoers.d would skip, installing nothing', () => {
    expect(run({ sha: '0'.repeat(64) }).status).toBe(54);
    expect(run({ standIns: { id: '[ "$1" = -un ] && printf "first.last\\n"' } }).status).toBe(53);
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(f.sudoersDir)).toEqual([]);
  });

  it('exits 55 when visudo refuses the rule, and removes what it staged', () => {
    const result = run({ standIns: { visudo: 'exit 1' } });
    expect(result.status).toBe(55);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(f.dir, 'new', 'firedeck'))).toBe(false);
    expect(readdirSync(f.sudoersDir)).toEqual([]);
  });
});
