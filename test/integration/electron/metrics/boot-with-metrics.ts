import { vmCreateSchema } from '../../../../shared/channels/vms';
import { createFirecrackerClient } from '../../../../electron/firecracker/client';
import { sshUnixConnector } from '../../../../electron/firecracker/transports/ssh-unix';
import { beginBootTiming, putMetrics, recordBootTiming } from '../../../../electron/metrics/boot-steps';
import { runSteps, steps } from '../../../../electron/steps/step-runner';
import type { Step } from '../../../../electron/steps/step-runner';
import { vmPaths } from '../../../../electron/vms/vm-paths';
import { bootSteps, connectApi, instanceStart } from '../../../../electron/vms/vm-start-steps';
import type { VmStartContext } from '../../../../electron/vms/vm-start-steps';
import type { TestCore } from '../../../support/test-core';

/**
 * The boot list as the vms helper is to change it: boot timing first, PUT /metrics after
 * fc.connect, the boot timing recorded after fc.instanceStart. Until vm-service runs this list,
 * the metrics tests boot their VMs through it themselves.
 */
export const bootWithMetrics: readonly Step<VmStartContext>[] = [
  beginBootTiming,
  ...steps.insertAfter(steps.insertAfter(bootSteps, connectApi, putMetrics), instanceStart, recordBootTiming),
];

/** Boots one microVM on a connected test host through `bootWithMetrics`, as vms.create would. */
export async function bootVmWithMetrics(t: TestCore, hostId: string, id: string, images: { kernel: string; rootfs: string }): Promise<void> {
  const ctx = await t.core.hosts.context(hostId);
  const paths = vmPaths(ctx.probe.firedeckDir, id);
  const client = createFirecrackerClient({ connector: sshUnixConnector(ctx.connection, paths.socket), name: id });
  const context: VmStartContext = {
    request: vmCreateSchema.parse({ hostId, id, vcpus: 1, memoryMib: 128, kernel: images.kernel, rootfs: images.rootfs }),
    connection: ctx.connection,
    hostArch: ctx.probe.arch,
    hostName: ctx.host.label,
    availableMemoryMib: ctx.probe.memoryMiB.available,
    firecrackerBinary: ctx.probe.firecracker.path!,
    paths,
    openClient: async () => client,
    closeClient: () => client.close(),
  };
  try {
    await runSteps(bootWithMetrics, context);
  } finally {
    await client.close();
  }
}
