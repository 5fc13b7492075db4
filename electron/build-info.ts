declare const __FIREDECK_VERSION__: string | undefined;

/** Injected by scripts/build.mjs from package.json; tests that load sources directly see the fallback. */
export const appVersion: string = typeof __FIREDECK_VERSION__ === 'string' ? __FIREDECK_VERSION__ : '0.0.0-dev';
