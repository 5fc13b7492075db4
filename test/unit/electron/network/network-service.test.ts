import { describe, expect, it } from 'vitest';
import installSource from '../../../../electron/host-scripts/net-helper-install.sh';
import statusSource from '../../../../electron/host-scripts/net-helper-status.sh';
import downSource from '../../../../electron/host-scripts/net-down.sh';
import stateSource from '../../../../electron/host-scripts/net-state.sh';
import upSource from '../../../../electron/host-scripts/net-up.sh';
import { HELPER_SHA256 } from '../../../../electron/network/network-helper';
import { createNetworkService } from '../../../../electron/network/network-service';
import { createVmStarts } from '../../../../electron/vms/vm-starts';
import { withArguments } from '../../../../electron/ssh/host-script';
import type { ExecOptions, ExecResult, HostConnection } from '../../../../electron/ssh/host-connection';
import type { HostSummary } from '../../../../shared/channels/hosts';

type Reply = Partial<ExecResult>;
/** The `set -- …` line the runner put before a script. */
const argLine = (script: string) => script.split('\n')[0];
const expectedArgs = (...args: (string | number)[]) => withArguments('', args).split('\n')[0];
interface Sent {
  script: string;
  name: string;
  options: ExecOptions;
}

/** A host whose scripts answer as `replies` say, by script; everything sent is kept. */
function fakeHost(replies: Record<string, Reply | ((sent: Sent, count: number) => Reply)>) {
  const sources: Record<string, string> = { state: stateSource, up: upSource, down: downSource, status: statusSource, install: installSource };
  const sent: Sent[] = [];
  const connection = {
    name: 'build-01',
    exec: async (script: string, options: ExecOptions = {}) => {
      const name = Object.keys(sources).find((n) => script.endsWith(sources[n]!)) ?? 'unknown';
      sent.push({ script, name, options });
      const reply = replies[name];
      const answer = typeof reply === 'function' ? reply(sent.at(-1)!, sent.filter((s) => s.name === name).length) : reply;
      return { output: '', stderr: '', exitCode: 0, ...answer };
    },
  } as unknown as HostConnection;
  const hosts = { list: () => [{ id: 'h1', user: 'dev', label: 'build-01' } as HostSummary], connection: () => connection };
  return { hosts, sent, ran: (name: string) => sent.filter((s) => s.name === name) };
}

const state = (lines: string[], routes = '[{"dst":"default","dev":"eth0"},{"dst":"192.0.2.0/24","dev":"eth0"}]') => ({
  output: ['uid=1000', `routes=${routes}`, 'resolv=127.0.0.53', 'resolved=192.0.2.53', ...lines].join('\n'),
});

describe('NetworkService.up', () => {
  it('takes the lowest free block and answers what VM boot needs', async () => {
    const host = fakeHost({ state: state(['index_used=0', 'index_used=1']), up: { output: 'netns=fd1000-vm1\nindex=2\n' } });
    const network = createNetworkService({ hosts: host.hosts });
    expect(await network.up('h1', 'vm1')).toEqual({
      vmId: 'vm1',
      uid: 1000,
      netns: 'fd1000-vm1',
      index: 2,
      hostAddress: '10.231.0.10',
      hostVethAddress: '10.231.0.9',
      guestAddress: '172.16.0.2',
      tap: 'tap0',
      mac: '06:00:AC:10:00:02',
      dns: ['192.0.2.53'],
      bootArgs: 'ip=172.16.0.2::172.16.0.1:255.255.255.252::eth0:off:192.0.2.53',
    });
    expect(argLine(host.ran('up')[0]!.script)).toBe(expectedArgs('/usr/local/libexec/firedeck/firedeck-helper', HELPER_SHA256, 'vm1', 2, '10.231.0.0/16'));
  });

  it('reads the host again and takes another block when the helper says the block was taken', async () => {
    const host = fakeHost({
      state: (_, n) => state(n === 1 ? [] : ['index_used=0']),
      up: (_, n) => (n === 1 ? { exitCode: 72 } : { output: 'netns=fd1000-vm1\n' }),
    });
    expect((await createNetworkService({ hosts: host.hosts }).up('h1', 'vm1')).index).toBe(1);
    expect(host.ran('up')).toHaveLength(2);
  });

  it('returns a network that is already up without building it again, and rebuilds a half-made one', async () => {
    const host = fakeHost({ state: state(['index_used=4', 'vm=vm1 netns=yes veth=fdv4 rule=yes vm_dir=yes']) });
    expect(await createNetworkService({ hosts: host.hosts }).up('h1', 'vm1')).toMatchObject({ index: 4, hostAddress: '10.231.0.18' });
    expect(host.ran('up')).toHaveLength(0);
    const half = fakeHost({ state: state(['vm=vm1 netns=yes veth=none rule=no vm_dir=yes']), up: { output: '' } });
    await createNetworkService({ hosts: half.hosts }).up('h1', 'vm1');
    expect(half.sent.map((s) => s.name)).toEqual(['state', 'down', 'up']);
  });

  it('refuses a pool overlapping a host route and an exhausted pool, building nothing', async () => {
    const overlap = fakeHost({ state: state([], '[{"dst":"10.231.4.0/24","dev":"eth1"}]') });
    await expect(createNetworkService({ hosts: overlap.hosts }).up('h1', 'vm1')).rejects.toMatchObject({ code: 'POOL_OVERLAP', message: expect.stringContaining('10.231.4.0/24 dev eth1') });
    const full = fakeHost({ state: state(['index_used=0', 'index_used=1']) });
    await expect(createNetworkService({ hosts: full.hosts, pool: () => '10.231.0.0/29' }).up('h1', 'vm1')).rejects.toMatchObject({
      code: 'POOL_EXHAUSTED',
      message: 'All 2 address blocks of the network pool 10.231.0.0/29 are in use on build-01 (one per microVM with a network).',
    });
    expect([...overlap.ran('up'), ...full.ran('up')]).toEqual([]);
  });

  it('stops at a tampered helper with the remedy', async () => {
    const host = fakeHost({ state: { exitCode: 41, output: 'sha256=abc123' } });
    await expect(createNetworkService({ hosts: host.hosts }).up('h1', 'vm1')).rejects.toMatchObject({
      code: 'HELPER_TAMPERED',
      message: expect.stringMatching(/^TAMPERED: .*SHA-256 is abc123/),
      remedy: expect.stringContaining('reinstall the helper'),
    });
  });
});

describe('NetworkService status, install, repair', () => {
  it('calls a helper verified only when its sum, rule and version all check out', async () => {
    const answer = (output: string) => createNetworkService({ hosts: fakeHost({ status: { output } }).hosts }).status('h1');
    expect(await answer(`sudoers=yes\ninstalled=yes\nsha256=${HELPER_SHA256}\nversion=1\n`)).toMatchObject({ installed: true, verified: true, version: '1', sudoersInstalled: true });
    expect(await answer('sudoers=no\ninstalled=no\n')).toMatchObject({ installed: false, verified: false, problem: { code: 'HELPER_MISSING' } });
    expect(await answer('sudoers=yes\ninstalled=yes\nsha256=0000\n')).toMatchObject({ verified: false, problem: { code: 'HELPER_TAMPERED', message: expect.stringContaining('TAMPERED') } });
    expect(await answer(`sudoers=no\ninstalled=yes\nsha256=${HELPER_SHA256}\nsudo_error=sudo: a password is required\n`)).toMatchObject({ problem: { code: 'SUDO_REQUIRED' } });
  });

  it('sends the sudo password on stdin and nowhere in the script', async () => {
    const host = fakeHost({ install: {}, status: { output: 'installed=no' } });
    await createNetworkService({ hosts: host.hosts }).install('h1', 'hunter2 secret');
    const [install] = host.ran('install');
    expect(install!.options.stdin).toBe('hunter2 secret\n');
    expect(install!.script).not.toContain('hunter2');
    expect(argLine(install!.script)).toMatch(/^set -- password /);
  });

  it('maps a refused sudo password to its own code', async () => {
    const host = fakeHost({ install: { exitCode: 52 } });
    await expect(createNetworkService({ hosts: host.hosts }).install('h1', 'x')).rejects.toMatchObject({ code: 'SUDO_PASSWORD_WRONG' });
  });

  it('repair removes the networks of VMs that are gone, and only those', async () => {
    const host = fakeHost({
      state: state(['vm=live netns=yes veth=fdv0 rule=yes vm_dir=yes', 'vm=gone netns=yes veth=fdv1 rule=yes vm_dir=no', 'vm=half netns=no veth=none rule=yes vm_dir=no']),
      down: { output: 'removed=yes' },
    });
    expect(await createNetworkService({ hosts: host.hosts }).repair('h1', ['live'])).toEqual({ removed: ['gone', 'half'] });
    expect(host.ran('down').map((s) => argLine(s.script)!.split(' ').at(-1))).toEqual(['gone', 'half']);
  });

  it('repair, queued behind a VM start’s network, spares it when asked then, and would not otherwise', async () => {
    for (const spareStarts of [true, false]) {
      const host = fakeHost({
        // The first state is the start's (before its network); the second, the repair's, has it.
        state: (_sent, count) => state(count === 1 ? [] : ['vm=new netns=yes veth=fdv0 rule=yes vm_dir=yes']),
        up: { output: 'netns=fd1000-new\nindex=0\n' },
        down: { output: 'removed=yes' },
      });
      const network = createNetworkService({ hosts: host.hosts });
      const starts = createVmStarts();
      const watch = starts.watch('h1');
      const ended = starts.begin('h1', 'new');
      // The repair's VM list (read before 'new' had a run directory) is empty.
      const [, report] = await Promise.all([network.up('h1', 'new').finally(ended), network.repair('h1', [], spareStarts ? () => watch.ids() : undefined)]);
      expect(host.sent.map((s) => s.name)).toEqual(spareStarts ? ['state', 'up', 'state'] : ['state', 'up', 'state', 'down']);
      expect(report).toEqual({ removed: spareStarts ? [] : ['new'] });
    }
  });

  it('repair skips a host without the helper', async () => {
    const host = fakeHost({ state: { exitCode: 40 } });
    expect(await createNetworkService({ hosts: host.hosts }).repair('h1', [])).toMatchObject({ removed: [], skipped: { code: 'HELPER_MISSING' } });
  });
});
