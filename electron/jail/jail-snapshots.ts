import { HELPER_PATH, HELPER_SHA256 } from '../network/network-helper.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { runHostScript } from '../ssh/host-script.js';
import { jailSnapshot } from './jail-scripts.js';

/**
 * A jailed Firecracker writes snapshot NAME inside its chroot, at the run directory's path there
 * (DIR/snapshots/NAME): this makes that folder, as the jail's uid. A no-op for a VM that is not
 * jailed. Call right before PUT /snapshot/create.
 */
export async function prepareJailSnapshot(connection: HostConnection, dir: string, vmId: string, name: string): Promise<void> {
  await runHostScript(connection, jailSnapshot, [dir, HELPER_PATH, HELPER_SHA256, vmId, name, 'prepare'], { timeoutMs: 30_000 });
}

/**
 * Puts what Firecracker wrote in the jail into DIR/snapshots/NAME, the SSH user's, where restore
 * and clones read it. A no-op for a VM that is not jailed. Call right after PUT /snapshot/create.
 */
export async function exportJailSnapshot(connection: HostConnection, dir: string, vmId: string, name: string): Promise<void> {
  await runHostScript(connection, jailSnapshot, [dir, HELPER_PATH, HELPER_SHA256, vmId, name, 'export'], { timeoutMs: 300_000 });
}
