import { vmCreateSchema } from '../../../../shared/channels/vms';
import { createFirecrackerClient } from '../../../../electron/firecracker/client';
import { sshUnixConnector } from '../../../../electron/firecracker/transports/ssh-unix';
import { runSteps } from '../../../../electron/steps/step-runner';
import { vmPaths } from '../../../../electron/vms/vm-paths';
import { bootSteps } from '../../../../electron/vms/vm-start-steps';
import type { VmStartContext } from '../../../../electron/vms/vm-start-steps';
import type { TestCore } from '../../../support/test-core';

/** Boots one microVM on a connected test host through the boot list vms.create runs (metrics file and boot timing included). */
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
    await runSteps(bootSteps, context);
  } finally {
    await client.close();
  }
}
