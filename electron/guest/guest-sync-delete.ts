import guestSyncDeleteSource from '../host-scripts/guest-sync-delete.sh';
import { AppError } from '../app-error.js';
import { withArguments } from '../ssh/host-script.js';
import type { SshClient } from '../ssh/ssh2.js';
import { guestRun } from './guest-run.js';
import { isContainedPath } from './sync-plans.js';

/**
 * Deletes files under `guestDir` in one guest command: guest-sync-delete.sh gets the folder as
 * its one argument and the paths NUL-separated on stdin (never on its command line), and checks
 * in the guest that each is still inside the folder before it goes.
 */
export async function deleteInGuest(client: SshClient, guestDir: string, paths: string[], signal: AbortSignal): Promise<{ deleted: number; skipped: number }> {
  if (paths.length === 0) return { deleted: 0, skipped: 0 };
  if (!paths.every(isContainedPath)) throw new AppError('INVALID_PATH', 'A path to delete is not inside the guest folder; nothing was deleted.', { remedy: 'Sync again and check the list.' });
  const stdin = Buffer.from(paths.map((p) => `${p}\0`).join(''), 'utf8');
  const result = await guestRun(client, withArguments(guestSyncDeleteSource, [guestDir]), { stdin, signal, timeoutMs: 300_000 });
  if (result.exitCode === 17) throw new AppError('NOT_FOUND', `${guestDir} is not a folder in the guest any more; nothing was deleted.`, { remedy: 'Check the guest folder, then sync again.' });
  const counts = result.stdout.match(/deleted=(\d+) skipped=(\d+)/);
  if (result.exitCode !== 0 || !counts) {
    throw new AppError('PUSH_FAILED', `The guest could not delete the files only it had: ${result.stderr.trim() || `exit ${result.exitCode}`}.`, { remedy: 'Check that the guest user may write to the folder, then sync again.' });
  }
  return { deleted: Number(counts[1]), skipped: Number(counts[2]) };
}
