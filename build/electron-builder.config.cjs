// Packaging (electron-builder). `npm run dist` builds the app first; see scripts/dist.mjs.
/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'dev.firedeck.app',
  productName: 'Firedeck',
  copyright: 'Copyright © 2026 Firedeck contributors',
  directories: { output: 'release', buildResources: 'build' },
  // Only what runs: the built main, preload and renderer, and the production dependencies
  // (electron-builder adds those from package.json). Tests, test doubles, sources, source maps
  // and native builds for Node's ABI never ship.
  files: [
    'package.json',
    'dist/electron/**',
    'dist/renderer/**',
    '!**/*.map',
    '!**/*.{ts,tsx,md}',
    '!**/{test,tests,__tests__,docs,example,examples}/**',
    // ssh2 and cpu-features build optional native parts against Node's ABI when installed; in
    // Electron they would not load, so they stay out and ssh2 uses its JavaScript crypto.
    '!**/node_modules/ssh2/lib/protocol/crypto/build/**',
    '!**/node_modules/cpu-features/build/**',
  ],
  asar: true,
  // Rebuilding native modules for Electron needs its headers from the network; nothing native ships.
  npmRebuild: false,
  // Electron security checklist: https://www.electronjs.org/docs/latest/tutorial/fuses
  electronFuses: {
    runAsNode: false,
    enableCookieEncryption: true,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    // The renderer is served from app://, never from file://: file pages need no extra powers.
    grantFileProtocolExtraPrivileges: false,
  },
  mac: {
    category: 'public.app-category.developer-tools',
    icon: 'build/icon.png',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    // Signing uses CSC_LINK/CSC_KEY_PASSWORD (or a keychain identity); notarizing uses
    // APPLE_ID/APPLE_APP_SPECIFIC_PASSWORD/APPLE_TEAM_ID. scripts/dist.mjs says which are missing.
    notarize: Boolean(process.env.APPLE_ID && process.env.APPLE_APP_SPECIFIC_PASSWORD && process.env.APPLE_TEAM_ID),
    target: [
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'zip', arch: ['arm64', 'x64'] },
    ],
  },
  dmg: { title: 'Firedeck ${version}' },
  linux: {
    icon: 'build/icons',
    category: 'Development',
    maintainer: 'Firedeck contributors',
    target: ['AppImage', 'deb'],
  },
};
