import type { TestCore } from '../../../support/test-core';

/**
 * Boots one microVM on a connected test host the way the app does (vms.create): its boot list
 * (electron/vms/vm-start-steps.ts) starts the boot timing, points Firecracker at the metrics
 * file after fc.connect, and records the timing after fc.instanceStart.
 */
export async function bootVmWithMetrics(t: TestCore, hostId: string, id: string, images: { kernel: string; rootfs: string }): Promise<void> {
  await t.call('vms.create', { hostId, id, vcpus: 1, memoryMib: 128, kernel: images.kernel, rootfs: images.rootfs });
}
