/**
 * Test-run setup shared by vitest and Playwright: builds the Firecracker API emulator bundle
 * (test/support/.build/firecracker) that test hosts and test release tarballs get.
 */
import { buildEmulator } from './firecracker-emulator/build.mjs';

export default async function setup(): Promise<void> {
  await buildEmulator();
}
