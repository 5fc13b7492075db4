/** Which guest a boot or a snapshot load gets. */
import type { Guest, SavedGuest } from './guest';
import { createScriptGuest } from './script-guest';
import type { Vmm } from './vmm';

/** The guest for InstanceStart. */
export function guestFor(vmm: Vmm): Guest {
  return createScriptGuest(vmm);
}

/** The guest a snapshot load continues: paused, as the snapshot left it. */
export async function restoredGuest(vmm: Vmm, saved: SavedGuest, _memPath: string): Promise<Guest> {
  const guest = createScriptGuest(vmm);
  guest.restore(saved);
  return guest;
}
