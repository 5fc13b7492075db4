import { execFileSync } from 'node:child_process';
import { startJailedHost } from '../test/support/jailer/jailed-host';
import { ensureKeyUser } from '../test/support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../test/support/test-core';
import { installFirecrackerFor, removeVmsOf } from '../test/support/vm-fixtures';
import type { BenchResult } from './harness';

const ROUNDS = 7;

/**
 * Create-to-Running through the jailer (the stand-in, a test double: chroot, setuid, cgroups,
 * pid namespace, the emulator exec'd inside) against the same VM on the same host started
 * unjailed (its jailer taken away), in the same run: the median of 7 creates
 * each, each VM deleted before the next.
 */
export async function benchJail(): Promise<BenchResult> {
  const user = await ensureKeyUser('fdbench-jail');
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }));
  const images = await installFirecrackerFor(user);
  const rig = await startJailedHost({ address: '127.0.0.83', user });
  const t = await startTestCore();
  try {
    const hostId = await connectTestHost(t, rig.host, { user, label: 'bench-jail' });
    const median = async (jailed: boolean) => {
      const samples: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const id = `bench-${jailed ? 'j' : 'u'}${i}`;
        const start = performance.now();
        const vm = await t.call('vms.create', { hostId, id, vcpus: 1, memoryMib: 128, kernel: images.kernel, rootfs: images.rootfs, network: 'none' });
        samples.push(performance.now() - start);
        if (vm.state !== 'running' || vm.jail?.jailed !== jailed) throw new Error(`${id} is ${vm.state}, jailed ${String(vm.jail?.jailed)}`);
        await t.call('vms.delete', { hostId, id });
      }
      return samples.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
    };
    const jailed = await median(true);
    // The same host without a jailer to run (the helper stays: delete still takes networks down).
    rig.inHost(['mv', '/usr/local/bin/jailer', '/usr/local/bin/jailer.off']);
    const unjailed = await median(false);
    return {
      name: 'create-to-running jailed',
      unit: 'ms',
      value: jailed,
      baseline: unjailed,
      ratio: jailed / unjailed,
      note: `median of ${ROUNDS} creates each: through the jailer stand-in by the privileged helper (includes the jail check over SSH, sudo, hard links of the disk, metrics and log, a copied kernel, the chroot and the stand-in's pid namespace) against the same VM started unjailed on the same host`,
    };
  } finally {
    await t.close();
    rig.removeJails(uid, Array.from({ length: ROUNDS }, (_, i) => `bench-j${i}`));
    await rig.host.stop();
    await removeVmsOf(user);
  }
}
