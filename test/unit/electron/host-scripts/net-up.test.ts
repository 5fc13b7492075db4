import { chmodSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import netUp from '../../../../electron/host-scripts/net-up.sh';
import { helperFixture } from '../../../support/helper-fixture';
import type { HelperFixture } from '../../../support/helper-fixture';
import { runUnderDash } from '../../../support/host-script-harness';

let f: HelperFixture;
beforeEach(() => {
  f = helperFixture();
});
afterEach(() => f.cleanup());

const run = (sudo: string, sha = f.sha256) => runUnderDash(netUp, [f.helper, sha, 'vm1', 3, '10.231.0.0/16'], { standIns: { sudo: f.recorder(sudo) } });

describe('net-up.sh under dash', () => {
  it('runs the verified helper’s net-up for this user through sudo -n and prints what it says', () => {
    const result = run("printf 'netns=fd0-vm1\\nindex=3\\n'");
    expect(result).toMatchObject({ status: 0, stdout: 'netns=fd0-vm1\nindex=3\n' });
    expect(f.calls()).toEqual([`sudo [-n] [--] [${f.helper}] [net-up] [0] [vm1] [3] [10.231.0.0/16]`]);
  });

  it('runs nothing when the helper differs or others may write it, and maps sudo’s refusal to 43', () => {
    expect(run('exit 0', '0'.repeat(64)).status).toBe(41);
    chmodSync(f.helper, 0o757);
    expect(run('exit 0').status).toBe(42);
    expect(f.calls()).toEqual([]);
    chmodSync(f.helper, 0o755);
    expect(run('exit 1').status).toBe(43);
    expect(run('exit 72').status).toBe(72);
  });
});
