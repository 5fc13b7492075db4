// `npm run dist`: build, then package with electron-builder (build/electron-builder.config.cjs).
// Signing and notarizing happen only when their standard environment variables are set; this
// says clearly when they are not, instead of failing deep inside the build.
import { spawnSync } from 'node:child_process';
import { buildAll } from './build.mjs';

const onMac = process.platform === 'darwin';
if (onMac && !process.env.CSC_LINK && !process.env.CSC_NAME) {
  console.log('Code signing: skipped (set CSC_LINK and CSC_KEY_PASSWORD, or CSC_NAME, to sign the macOS app).');
  process.env.CSC_IDENTITY_AUTO_DISCOVERY ??= 'false';
}
if (onMac && !(process.env.APPLE_ID && process.env.APPLE_APP_SPECIFIC_PASSWORD && process.env.APPLE_TEAM_ID)) {
  console.log('Notarization: skipped (set APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID to notarize).');
}
await buildAll({ quiet: true });
const args = ['electron-builder', '--config', 'build/electron-builder.config.cjs', ...process.argv.slice(2)];
const result = spawnSync('npx', args, { stdio: 'inherit' });
process.exit(result.status ?? 1);
