/** Which guest a boot or a snapshot load gets: a real one under QEMU for a test kernel, else the script guest. */
import type { Guest, SavedGuest } from './guest';
import { createQemuGuest, testKernelAt, testKernelOf } from './qemu-guest';
import { createScriptGuest } from './script-guest';
import type { Vmm } from './vmm';

/** The guest for InstanceStart. */
export function guestFor(vmm: Vmm): Guest {
  const kernel = testKernelOf(vmm.bootSource?.kernelFd ?? null);
  return kernel ? createQemuGuest(vmm, kernel) : createScriptGuest(vmm);
}

/** The guest a snapshot load continues: paused, as the snapshot left it. */
export async function restoredGuest(vmm: Vmm, saved: SavedGuest, memPath: string): Promise<Guest> {
  if (saved.kind === 'qemu') {
    const guest = createQemuGuest(vmm, testKernelAt(vmm.bootSource!.config.kernel_image_path), String(saved.cmdline));
    await guest.restore(memPath);
    return guest;
  }
  const guest = createScriptGuest(vmm);
  guest.restore(saved);
  return guest;
}
