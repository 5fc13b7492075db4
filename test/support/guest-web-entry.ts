// The backend of guest-web-backend.ts: createCore with the test's guest address, and the bridge.
import { createCore } from '../../electron/core';
import { startBridge } from '../../electron/transport/bridge';

const guest = JSON.parse(process.env.FIREDECK_TEST_GUEST ?? '{}') as { host: string; port: number; user: string };
const core = await createCore({
  dataDir: process.env.FIREDECK_DATA_DIR!,
  home: process.env.HOME,
  mode: 'browser',
  version: '0.0.0-e2e',
  guestAddress: () => Promise.resolve(guest),
});
const bridge = await startBridge({ router: core.router, events: core.events, releaseOwner: core.releaseOwner, staticRoot: process.env.FIREDECK_STATIC_ROOT!, port: 0 });
console.log(`  ${bridge.url}`);
const stop = async () => {
  await bridge.close();
  await core.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
