import { describe, expect, it } from 'vitest';
import { jailFromLine, unjailed } from '../../../../electron/jail/jail-facts';
import { jailStartArguments } from '../../../../electron/jail/jail-steps';
import type { JailStepContext } from '../../../../electron/jail/jail-steps';

describe('a run directory’s jail line', () => {
  it('reads what jail-start.sh recorded', () => {
    const line =
      'pid=4242 starttime=777 uid=900003 gid=900003 chroot=/var/lib/firedeck/jail/u1000/firecracker/vm1/root socket=/var/lib/firedeck/jail/u1000/firecracker/vm1/api.sock ' +
      'cgroup=/sys/fs/cgroup/firedeck/u1000/vm1 cpu_max=200000/100000 memory_max=335544320 cgroup_missing= available=cpu,memory,pids seccomp=on netns=/run/netns/fd1000-vm1 nofile=4096';
    expect(jailFromLine(line)).toEqual({
      jailed: true,
      uid: 900003,
      gid: 900003,
      chroot: '/var/lib/firedeck/jail/u1000/firecracker/vm1/root',
      cgroup: '/sys/fs/cgroup/firedeck/u1000/vm1',
      cpuMax: '200000 100000',
      memoryMaxBytes: 335544320,
      cgroupMissing: [],
      seccomp: true,
      netns: 'fd1000-vm1',
      noFile: 4096,
    });
  });

  it('names the controllers a host lacks, and no cgroup when it had none to make', () => {
    expect(jailFromLine('uid=1 gid=1 chroot=/c cgroup=none cpu_max= memory_max= cgroup_missing=cpu,memory seccomp=on netns=none')).toMatchObject({
      cgroup: null,
      cgroupMissing: ['cpu', 'memory'],
      netns: null,
    });
  });

  it('says "not jailed" with the reason and remedy, also for a VM without a line or with a made-up reason', () => {
    expect(jailFromLine('unjailed=helper-missing')).toEqual(unjailed('helper-missing'));
    expect(unjailed('helper-missing')).toMatchObject({ jailed: false, message: expect.stringMatching(/^Not jailed/), remedy: expect.stringContaining('wizard') });
    expect(jailFromLine(undefined)).toMatchObject({ jailed: false, reason: 'unknown' });
    expect(jailFromLine('unjailed=$(reboot)')).toMatchObject({ jailed: false, reason: 'unknown' });
  });
});

describe('jail-start’s arguments', () => {
  it('come from the request, the jail settings and the network namespace, with the snapshot folder of a restore', () => {
    const ctx = {
      request: { id: 'vm1', vcpus: 2, memoryMib: 256, kernel: '/k' },
      firecrackerBinary: '/usr/local/bin/firecracker',
      jailerBinary: '/usr/local/bin/jailer',
      jailSettings: { uidMin: 900000, uidMax: 900009, uidPer: 'host', memoryOverheadMib: 32 },
      vmNetwork: { netns: 'fd1000-vm1' },
      snapshot: { statePath: '/home/u/.firedeck/vms/src/snapshots/first/state', memPath: '/home/u/.firedeck/vms/src/snapshots/first/mem' },
    } as unknown as JailStepContext;
    expect(jailStartArguments(ctx)).toEqual(['vm1', 900000, 900009, 'host', 2, 256, 32, 'fd1000-vm1', '/usr/local/bin/jailer', '/usr/local/bin/firecracker', '/k', '/home/u/.firedeck/vms/src/snapshots/first']);
  });
});
