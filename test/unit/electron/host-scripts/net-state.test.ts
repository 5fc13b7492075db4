import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import netState from '../../../../electron/host-scripts/net-state.sh';
import { helperFixture } from '../../../support/helper-fixture';
import type { HelperFixture } from '../../../support/helper-fixture';
import { runUnderDash } from '../../../support/host-script-harness';

let f: HelperFixture;
beforeEach(() => {
  f = helperFixture();
});
afterEach(() => f.cleanup());

const routes = '[{"dst":"default","gateway":"10.252.0.1","dev":"uplink0"},\n{"dst":"10.252.0.0/30","dev":"uplink0"}]\n';
function run(options: { sha?: string; sudo?: string; resolv?: string; resolved?: string } = {}) {
  const resolv = join(f.dir, 'resolv.conf');
  const resolved = join(f.dir, 'resolved.conf');
  writeFileSync(resolv, options.resolv ?? 'nameserver 127.0.0.53\noptions edns0\n');
  if (options.resolved !== undefined) writeFileSync(resolved, options.resolved);
  return runUnderDash(netState, [f.helper, options.sha ?? f.sha256, resolv, resolved], {
    standIns: {
      sudo: f.recorder(options.sudo ?? "printf 'index_used=4\\nvm=vm1 netns=yes veth=fdv4 rule=yes vm_dir=yes\\n'"),
      ip: `[ "$*" = "-4 -j route show table all" ] && printf '%s' '${routes}'`,
    },
  });
}

describe('net-state.sh under dash', () => {
  it('checks the helper, then prints uid, routes on one line, both resolver files and the helper’s list', () => {
    const result = run({ resolved: '# upstream\nnameserver 192.0.2.53\nnameserver  198.51.100.53 # second\n' });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      `uid=0\nroutes=${routes.replace(/\n/g, '')}\nresolv=127.0.0.53\nresolved=192.0.2.53\nresolved=198.51.100.53\nindex_used=4\nvm=vm1 netns=yes veth=fdv4 rule=yes vm_dir=yes\n`,
    );
    expect(f.calls()).toEqual([`sudo [-n] [--] [${f.helper}] [net-list] [0]`]);
  });

  it('exits 40 without a helper, 41 (printing its sum) when it differs, 42 when others may write it, and runs nothing', () => {
    const differs = run({ sha: 'f'.repeat(64) });
    expect(differs.status).toBe(41);
    expect(differs.stdout).toBe(`sha256=${f.sha256}\n`);
    chmodSync(f.helper, 0o775);
    expect(run().status).toBe(42);
    chmodSync(f.helper, 0o755);
    chmodSync(join(f.dir, 'libexec'), 0o777);
    expect(run().status).toBe(42);
    rmSync(f.helper);
    expect(run()).toMatchObject({ status: 40, stdout: '' });
    expect(f.calls()).toEqual([]);
  });

  it('turns sudo’s refusal (exit 1) into 43 and passes the helper’s own exits on', () => {
    expect(run({ sudo: 'exit 1' }).status).toBe(43);
    expect(run({ sudo: 'exit 71' }).status).toBe(71);
  });
});
