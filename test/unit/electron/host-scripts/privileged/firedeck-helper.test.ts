import { describe, expect, it } from 'vitest';
import helper from '../../../../../electron/host-scripts/privileged/firedeck-helper.sh';
import { runHelper } from '../../../../support/privileged-harness';
import type { HelperRun } from '../../../../support/privileged-harness';

const POOL = '10.231.0.0/16';
/** Calls that would change or read the host's network; a refusal must make none of them. */
const networkCalls = (run: HelperRun) => run.calls.filter((c) => /^(ip|nft|iptables|sysctl|setpriv) /.test(c) || c === 'ip' || c === 'nft');

function expectRefused(run: HelperRun, exit: number) {
  expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: exit, stderr: expect.stringMatching(/^firedeck-helper: /) });
  expect(networkCalls(run)).toEqual([]);
  expect(run.stdout).toBe('');
  // The refusal is logged, with control characters made harmless.
  expect(run.calls.filter((c) => c.startsWith('logger '))).toEqual([expect.stringMatching(/^logger \[--socket-errors=on\] \[-t\] \[firedeck-helper\] \[--\] \[refused \(uid [^\n]*\)/)]);
}

describe('firedeck-helper refuses what is not its job, and runs nothing when it does', () => {
  const cases: [string, string[], number][] = [
    ['no subcommand', [], 64],
    ['an unknown subcommand', ['rm', '-rf', '/'], 64],
    ['a subcommand with a command after it', ['net-up; reboot'], 64],
    ['a jail subcommand with too few arguments', ['jail-start', '1000', 'vm1'], 64],
    ['a missing argument', ['net-up', '1000', 'vm1', '0'], 64],
    ['an extra argument', ['net-down', '1000', 'vm1', 'extra'], 64],
    ['version with arguments', ['version', 'now'], 64],
    ['net-exec without --', ['net-exec', '1000', 'vm1', 'id'], 64],
    ['a ; in a VM id', ['net-up', '1000', 'vm1;reboot', '0', POOL], 65],
    ['a command substitution', ['net-up', '1000', '$(reboot)', '0', POOL], 65],
    ['backticks', ['net-down', '1000', 'vm`id`'], 65],
    ['a space', ['net-down', '1000', 'vm1 vm2'], 65],
    ['a newline', ['net-down', '1000', 'vm1\nreboot'], 65],
    ['a pipe in the pool', ['net-up', '1000', 'vm1', '0', '10.231.0.0/16|sh'], 65],
    ['a glob', ['net-list', '*'], 65],
    ['an empty argument', ['net-down', '1000', ''], 65],
    ['a redirection in net-exec’s VM id', ['net-exec', '1000', 'vm1>x', '--', 'id'], 65],
    ['another user’s uid', ['net-up', '1001', 'vm1', '0', POOL], 66],
    ['root’s uid', ['net-down', '0', 'vm1'], 66],
    ['a uid with a leading zero', ['net-down', '01000', 'vm1'], 66],
    ['a user name for a uid', ['net-list', 'root'], 66],
    ['a path as VM id', ['net-down', '1000', '../../etc'], 68],
    ['an absolute path as VM id', ['net-down', '1000', '/etc/passwd'], 68],
    ['an option as VM id', ['net-down', '1000', '-all'], 68],
    ['a VM id longer than 64', ['net-down', '1000', 'a'.repeat(65)], 68],
    ['an interface name as index', ['net-up', '1000', 'vm1', 'eth0', POOL], 69],
    ['a Firedeck veth name as index', ['net-up', '1000', 'vm1', 'fdv3', POOL], 69],
    ['a negative index', ['net-up', '1000', 'vm1', '-1', POOL], 69],
    ['an index with a leading zero', ['net-up', '1000', 'vm1', '007', POOL], 69],
    ['an index past the pool', ['net-up', '1000', 'vm1', '16384', POOL], 69],
    ['an index past a small pool', ['net-up', '1000', 'vm1', '2', '10.231.0.0/29'], 69],
    ['a path as pool', ['net-up', '1000', 'vm1', '0', '/etc/shadow'], 70],
    ['a public pool', ['net-up', '1000', 'vm1', '0', '8.8.8.0/24'], 70],
    ['a pool with host bits', ['net-up', '1000', 'vm1', '0', '10.231.0.1/16'], 70],
    ['a pool too large', ['net-up', '1000', 'vm1', '0', '10.0.0.0/8'], 70],
    ['a pool too small', ['net-up', '1000', 'vm1', '0', '10.231.0.0/31'], 70],
    ['a pool holding the guests’ network', ['net-up', '1000', 'vm1', '0', '172.16.0.0/16'], 70],
    ['a pool with a bad octet', ['net-up', '1000', 'vm1', '0', '10.256.0.0/16'], 70],
    ['a pool without a prefix', ['net-up', '1000', 'vm1', '0', '10.231.0.0'], 70],
    ['a pool straddling a private range', ['net-up', '1000', 'vm1', '0', '192.160.0.0/12'], 70],
  ];
  it.each(cases)('%s', (_, args, exit) => {
    expectRefused(runHelper(helper, args), exit);
  });

  it('refuses to run other than through sudo (no SUDO_UID)', () => {
    expectRefused(runHelper(helper, ['net-list', '1000'], { sudoUid: null }), 67);
  });

  it('logs a refused argument with its control characters replaced', () => {
    const run = runHelper(helper, ['net-down', '99', 'x']);
    expect(run.calls.find((c) => c.startsWith('logger'))).toContain('uid 99 is not the user who ran sudo (1000)');
    const forged = runHelper(helper, ['net-down', '1000', 'vm\nfake log line']);
    expect(forged.calls.filter((c) => c.startsWith('logger'))).toHaveLength(1);
    expect(forged.logFile).toBe('');
  });

  it('logs to its root-owned file when there is no syslog to take it', () => {
    const run = runHelper(helper, ['net-down', '1000', 'vm\nfake log line'], { noSyslog: true });
    expect(run.status).toBe(65);
    expect(run.logFile).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ refused \(uid 1000\): refusing an argument with characters other than letters, digits, '\.', '\/' and '-'\n$/);
    const up = runHelper(helper, ['net-up', '1000', 'vm1', '0', POOL], { noSyslog: true });
    expect(up.logFile).toMatch(/Z net-up fd1000-vm1 index 0 pool 10\.231\.0\.0\/16\n$/);
  });
});

describe('firedeck-helper net-up', () => {
  it('builds namespace, tap0 owned by the caller, the veth pair, addresses, routes and NAT from block INDEX', () => {
    const run = runHelper(helper, ['net-up', '1000', 'vm-a', '3', POOL]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('netns=fd1000-vm-a\nindex=3\nveth=fdv3\nhost_address=10.231.0.13\nvm_address=10.231.0.14\n');
    const calls = run.calls.join('\n');
    for (const expected of [
      'ip [netns] [add] [fd1000-vm-a]',
      'ip [-n] [fd1000-vm-a] [tuntap] [add] [dev] [tap0] [mode] [tap] [user] [1000]',
      'ip [-n] [fd1000-vm-a] [addr] [add] [172.16.0.1/30] [dev] [tap0]',
      'ip [link] [add] [fdv3] [type] [veth] [peer] [name] [veth0] [netns] [fd1000-vm-a]',
      'ip [addr] [add] [10.231.0.13/30] [dev] [fdv3]',
      'ip [-n] [fd1000-vm-a] [addr] [add] [10.231.0.14/30] [dev] [veth0]',
      'ip [-n] [fd1000-vm-a] [route] [add] [default] [via] [10.231.0.13]',
      'iifname "veth0" ip daddr 10.231.0.14 dnat to 172.16.0.2',
      'oifname "veth0" ip saddr 172.16.0.0/30 snat to 10.231.0.14',
      'sysctl [-q] [-w] [net.ipv4.ip_forward=1]',
      'nft [add] [rule] [ip] [firedeck] [postrouting] [ip] [saddr] [10.231.0.12/30] [oifname] [!=] ["fdv*"] [masquerade] [comment] ["fd1000-vm-a"]',
    ]) {
      expect(calls).toContain(expected);
    }
    // The host table is created with the forwarding state it found, to restore it at the end.
    expect(calls).toMatch(/comment "ip_forward was [01]"/);
    expect(run.calls.find((c) => c.startsWith('logger'))).toContain('net-up fd1000-vm-a index 3 pool 10.231.0.0/16');
    expect(networkCalls(run).some((c) => c.startsWith('iptables'))).toBe(false);
  });

  it('refuses a pool that overlaps a host route, ignoring the default route and its own fdv links', () => {
    const routes = 'default via 192.0.2.1 dev eth0\n10.231.0.0/30 dev fdv0 proto kernel scope link src 10.231.0.1\nlocal 10.231.0.1 dev fdv0 table local proto kernel scope host\n';
    expect(runHelper(helper, ['net-up', '1000', 'vm1', '1', POOL], { routes }).status).toBe(0);
    const clash = runHelper(helper, ['net-up', '1000', 'vm1', '1', POOL], { routes: `${routes}10.231.128.0/24 dev eth1 proto kernel scope link\n` });
    expect(clash.status).toBe(71);
    expect(clash.stderr).toContain('overlaps the host route 10.231.128.0/24');
    expect(clash.calls.some((c) => c.includes('[netns] [add]'))).toBe(false);
    const host = runHelper(helper, ['net-up', '1000', 'vm1', '1', POOL], { routes: 'local 10.231.9.9 dev eth1 table local\n' });
    expect(host.status).toBe(71);
  });

  it('says an index in use is taken, and a VM whose network exists is already up, changing nothing', () => {
    const taken = runHelper(helper, ['net-up', '1000', 'vm1', '3', POOL], { veths: '9: fdv3@if2: <BROADCAST> mtu 1500 link-netns fd1001-other\n' });
    expect(taken.status).toBe(72);
    const up = runHelper(helper, ['net-up', '1000', 'vm1', '4', POOL], { netns: ['fd1000-vm1'] });
    expect(up.status).toBe(73);
    for (const run of [taken, up]) expect(run.calls.filter((c) => /\[(add|del)\]/.test(c))).toEqual([]);
  });

  it('undoes what it built when a step fails, and says which', () => {
    const run = runHelper(helper, ['net-up', '1000', 'vm1', '0', POOL], { failOn: 'addr add 10.231.0.1/30', hostRules: '' });
    expect(run.status).toBe(75);
    expect(run.stderr).toContain('setting up the network of vm1 failed and was undone: ip addr add 10.231.0.1/30 dev fdv0');
    const calls = run.calls.join('\n');
    expect(calls).toContain('ip [netns] [del] [fd1000-vm1]');
    expect(calls).not.toContain('[add] [rule]');
  });
});

describe('firedeck-helper net-down', () => {
  const rules = [
    'table ip firedeck { # handle 1',
    '\tchain postrouting { # handle 1',
    '\t\tip saddr 10.231.0.0/30 oifname != "fdv*" masquerade comment "fd1000-vm1" # handle 5',
    '\t\tip saddr 10.231.0.4/30 oifname != "fdv*" masquerade comment "fd1000-vm10" # handle 6',
    '\t\tip saddr 10.231.0.8/30 oifname != "fdv*" masquerade comment "fd1001-vm1" # handle 7',
    '\t}',
  ].join('\n');
  const veths = [
    '7: fdv0@if2: <BROADCAST,UP> mtu 1500 qdisc noqueue state UP link-netns fd1000-vm1',
    '8: fdv1@if2: <BROADCAST,UP> mtu 1500 qdisc noqueue state UP link-netns fd1000-vm10',
    '9: eth7@if3: <BROADCAST,UP> mtu 1500 qdisc noqueue state UP link-netns fd1000-vm1',
  ].join('\n');

  it('removes the VM’s veth, namespace and rule, and nothing of other VMs, users or interfaces', () => {
    const run = runHelper(helper, ['net-down', '1000', 'vm1'], { netns: ['fd1000-vm1', 'fd1000-vm10'], hostRules: rules, veths });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('removed=yes\n');
    const changes = run.calls.filter((c) => /\[(del|delete)\]/.test(c));
    expect(changes).toEqual(['ip [link] [del] [dev] [fdv0]', 'ip [netns] [del] [fd1000-vm1]', 'nft [delete] [rule] [ip] [firedeck] [postrouting] [handle] [5]']);
  });

  it('is content when there is nothing to remove, and drops the table with the last VM rule', () => {
    const none = runHelper(helper, ['net-down', '1000', 'gone']);
    expect(none).toMatchObject({ status: 0, stdout: 'removed=no\n' });
    const last = runHelper(helper, ['net-down', '1000', 'vm1'], { hostRules: '' });
    expect(last.calls).toContain('nft [delete] [table] [ip] [firedeck]');
  });
});

describe('firedeck-helper net-list and version', () => {
  it('lists the caller’s VM networks, every index in use, and which VM folders are gone', () => {
    const run = runHelper(helper, ['net-list', '1000'], {
      netns: ['fd1000-vm1', 'fd1000-old', 'fd1001-theirs', 'fd10000-x'],
      veths: '7: fdv0@if2: <UP> mtu 1500 link-netns fd1000-vm1\n8: fdv5@if2: <UP> mtu 1500 link-netns fd1001-theirs\n',
      hostRules: '\t\tip saddr 10.231.0.0/30 oifname != "fdv*" masquerade comment "fd1000-vm1"\n\t\tip saddr 10.231.0.8/30 oifname != "fdv*" masquerade comment "fd1000-ruleonly"\n',
      vmDirs: ['vm1'],
    });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'index_used=0',
      'index_used=5',
      'vm=old netns=yes veth=none rule=no vm_dir=no',
      'vm=ruleonly netns=no veth=none rule=yes vm_dir=no',
      'vm=vm1 netns=yes veth=fdv0 rule=yes vm_dir=yes',
    ]);
    expect(run.calls.filter((c) => /\[(add|del|delete)\]/.test(c))).toEqual([]);
  });

  it('says its version', () => {
    expect(runHelper(helper, ['version'])).toMatchObject({ status: 0, stdout: 'version=1\n' });
  });
});

describe('firedeck-helper net-exec', () => {
  it('runs the command as the caller, without privileges, inside the VM’s namespace only', () => {
    const run = runHelper(helper, ['net-exec', '1000', 'vm1', '--', '/home/u/.firedeck/bin/firecracker', '--api-sock', '/x; reboot'], { netns: ['fd1000-vm1'] });
    expect(run.status).toBe(0);
    expect(run.calls).toContain(
      'ip [netns] [exec] [fd1000-vm1] [setpriv] [--reuid=1000] [--regid=1000] [--init-groups] [--inh-caps=-all] [--bounding-set=-all] [--no-new-privs] [--reset-env] [--] [/home/u/.firedeck/bin/firecracker] [--api-sock] [/x; reboot]',
    );
  });

  it('refuses a VM without a network', () => {
    expectRefused(runHelper(helper, ['net-exec', '1000', 'vm1', '--', 'id']), 77);
  });
});
