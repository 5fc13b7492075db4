import { HELPER_PATH, HELPER_SHA256 } from '../network/network-helper.js';
import type { HostConnection } from '../ssh/host-connection.js';
import { runHostScript } from '../ssh/host-script.js';
import { jailSnapshot } from './jail-scripts.js';

/**
 * A jailed Firecracker writes its snapshot inside its chroot (at the run directory's path there):
 * this puts it into the run directory, the SSH user's, where restore and clones read it. A no-op
 * for a VM that is not jailed. Call right after PUT /snapshot/create.
 */
export async function exportJailSnapshot(connection: HostConnection, dir: string, vmId: string): Promise<void> {
  await runHostScript(connection, jailSnapshot, [dir, HELPER_PATH, HELPER_SHA256, vmId], { timeoutMs: 300_000 });
}
