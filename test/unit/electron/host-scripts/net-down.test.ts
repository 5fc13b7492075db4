import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import netDown from '../../../../electron/host-scripts/net-down.sh';
import { helperFixture } from '../../../support/helper-fixture';
import type { HelperFixture } from '../../../support/helper-fixture';
import { runUnderDash } from '../../../support/host-script-harness';

let f: HelperFixture;
beforeEach(() => {
  f = helperFixture();
});
afterEach(() => f.cleanup());

const run = (sudo: string, sha = f.sha256) => runUnderDash(netDown, [f.helper, sha, 'vm1'], { standIns: { sudo: f.recorder(sudo) } });

describe('net-down.sh under dash', () => {
  it('runs the verified helper’s net-down for this user', () => {
    expect(run("printf 'removed=yes\\n'")).toMatchObject({ status: 0, stdout: 'removed=yes\n' });
    expect(f.calls()).toEqual([`sudo [-n] [--] [${f.helper}] [net-down] [0] [vm1]`]);
  });

  it('exits 41 on a changed helper, 43 when sudo refuses, 40 without one, running nothing unverified', () => {
    expect(run('exit 0', 'a'.repeat(64)).status).toBe(41);
    expect(f.calls()).toEqual([]);
    expect(run('exit 1').status).toBe(43);
    rmSync(f.helper);
    expect(run('exit 0').status).toBe(40);
    expect(f.calls()).toHaveLength(1);
  });
});
