import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import status from '../../../../electron/host-scripts/net-helper-status.sh';
import { helperFixture } from '../../../support/helper-fixture';
import type { HelperFixture } from '../../../support/helper-fixture';
import { runUnderDash } from '../../../support/host-script-harness';

let f: HelperFixture;
beforeEach(() => {
  f = helperFixture();
});
afterEach(() => f.cleanup());

const run = (sudo = 'exec "$@"', sha = f.sha256) =>
  runUnderDash(status, [f.helper, sha, f.sudoersDir], { standIns: { sudo: f.recorder(`[ "$1" = -n ] && shift; [ "$1" = -- ] && shift; ${sudo}`) } });

describe('net-helper-status.sh under dash', () => {
  it('reports an installed, matching helper with its rule and the version it gives through sudo -n', () => {
    writeFileSync(join(f.sudoersDir, 'firedeck-root'), 'rule\n');
    expect(run()).toMatchObject({ status: 0, stdout: `sudoers=yes\ninstalled=yes\nsha256=${f.sha256}\nversion=1\n` });
    expect(f.calls()).toEqual([`sudo [-n] [--] [${f.helper}] [version]`]);
  });

  it('does not run a helper that differs or that others may change, and says why', () => {
    expect(run(undefined, 'b'.repeat(64))).toMatchObject({ status: 0, stdout: `sudoers=no\ninstalled=yes\nsha256=${f.sha256}\n` });
    chmodSync(f.helper, 0o775);
    expect(run().stdout).toContain(`unsafe=${f.helper} \n`);
    expect(f.calls()).toEqual([]);
  });

  it('reports sudo’s refusal and a missing helper', () => {
    expect(run("printf 'sudo: a password is required\\n' >&2; exit 1").stdout).toContain('sudo_error=sudo: a password is required');
    rmSync(f.helper);
    expect(run()).toMatchObject({ status: 0, stdout: 'sudoers=no\ninstalled=no\n' });
  });
});
