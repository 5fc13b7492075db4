/**
 * Test-run setup shared by vitest and Playwright: builds the Firecracker API emulator bundle
 * (test/support/.build/firecracker) that test hosts and test release tarballs get, and takes the
 * run's lease on the test ledger. The teardown both runners call gives it back: the last run out
 * removes the users, groups and files the runs made (see test-ledger.ts).
 */
import { buildEmulator } from './firecracker-emulator/build.mjs';
import { takeLease } from './test-ledger';

export default async function setup(): Promise<() => Promise<void>> {
  const lease = takeLease();
  await buildEmulator();
  return async () => {
    const { cleaned, removed, failed } = lease.release();
    if (cleaned && (removed.length > 0 || failed.length > 0)) {
      console.log(`test cleanup: removed ${removed.length} thing(s) the runs made${failed.length ? `, ${failed.length} left (logged above)` : ''}`);
    }
  };
}
