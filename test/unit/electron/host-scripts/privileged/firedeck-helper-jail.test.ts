import { describe, expect, it } from 'vitest';
import helper from '../../../../../electron/host-scripts/privileged/firedeck-helper.sh';
import { runHelper } from '../../../../support/privileged-harness';

/** jail-start's arguments after UID: VMID UID_MIN UID_MAX MODE VCPUS MEM OVERHEAD NETNS JAILER EXEC RUNDIR. */
const start = (over: Partial<Record<number, string>> = {}, files: string[] = []) => {
  const args = ['jail-start', '1000', 'vm1', '900000', '900099', 'vm', '2', '256', '64', '-', '/usr/local/bin/jailer', '/usr/local/bin/firecracker', '/home/u/.firedeck/vms/vm1'];
  for (const [at, value] of Object.entries(over)) args[Number(at)] = value!;
  return [...args, ...files];
};

describe('firedeck-helper jail-* refuses before anything runs', () => {
  const cases: [string, string[], number][] = [
    ['too few arguments', ['jail-start', '1000', 'vm1'], 64],
    ['another user’s uid', start({ 1: '1001' }), 66],
    ['a bad VM id', start({ 2: '-rf' }), 68],
    ['a space in an argument', start({ 12: '/home/u/my vm' }), 65],
    ['a command substitution', start({ 12: '$(reboot)' }), 65],
    ['a uid range starting below 10000 (system users)', start({ 3: '0' }), 86],
    ['a uid range ending before it starts', start({ 4: '899999' }), 86],
    ['a uid with a leading zero', start({ 3: '0900000' }), 86],
    ['a mode other than vm or host', start({ 5: 'all' }), 64],
    ['no vCPU', start({ 6: '0' }), 86],
    ['a namespace that is not the VM’s own', start({ 9: 'fd1001-vm1' }), 64],
    ['the VM’s namespace when it does not exist', start({ 9: 'fd1000-vm1' }), 77],
    ['a jailer path with ..', start({ 10: '/usr/local/bin/../../tmp/jailer' }), 65],
    ['a relative jailer path', start({ 10: 'jailer' }), 65],
    ['a jailer that is not there (or not root’s alone)', start(), 81],
    ['jail-stop with an extra argument', ['jail-stop', '1000', 'vm1', 'x'], 64],
    ['jail-stop for another user', ['jail-stop', '1001', 'vm1'], 66],
    ['jail-list with a name for a uid', ['jail-list', 'root'], 66],
    ['jail-snapshot of a path', ['jail-snapshot', '1000', '../x', 'first', 'export'], 68],
    ['jail-snapshot of a snapshot name with ..', ['jail-snapshot', '1000', 'vm1', 'a..b', 'export'], 65],
    ['jail-snapshot of a snapshot name starting with .', ['jail-snapshot', '1000', 'vm1', '.hidden', 'prepare'], 65],
  ];
  it.each(cases)('%s', (_, args, exit) => {
    const run = runHelper(helper, args);
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: exit, stderr: expect.stringMatching(/^firedeck-helper: /) });
    // Nothing was run as the user or in a namespace, and nothing was reported on stdout.
    expect(run.calls.filter((c) => /^(ip|setpriv|nft) /.test(c))).toEqual([]);
    expect(run.stdout).toBe('');
  });

  it('says there is nothing to stop when the VM has no jail', () => {
    const run = runHelper(helper, ['jail-stop', '1000', 'nojail']);
    expect(run).toMatchObject({ status: 0, stdout: 'removed=no\n' });
  });
});
