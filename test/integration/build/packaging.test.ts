import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Checks what `npm run dist` would ship, on a machine without Electron's binary: electron-builder
// packs a Linux directory around a placeholder "Electron", and the asar inside is what matters.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const require = createRequire(import.meta.url);
const configPath = join(root, 'build/electron-builder.config.cjs');
const config = require(configPath) as Record<string, unknown> & {
  mac: { target: { target: string; arch: string[] }[]; hardenedRuntime: boolean; entitlements: string; notarize: boolean };
};
const fuses = require('@electron/fuses') as typeof import('@electron/fuses');
const { FuseV1Options } = fuses;
type FuseName = keyof typeof FuseV1Options;

// Fuse states as bytes in the binary (@electron/fuses' FuseState).
const [DISABLED, ENABLED] = [0x30, 0x31];
/** The fuse wire of a stock Electron binary (as `npx @electron/fuses read` shows on one). */
const stockWire: Record<FuseName, number> = {
  RunAsNode: ENABLED,
  EnableCookieEncryption: DISABLED,
  EnableNodeOptionsEnvironmentVariable: ENABLED,
  EnableNodeCliInspectArguments: ENABLED,
  EnableEmbeddedAsarIntegrityValidation: DISABLED,
  OnlyLoadAppFromAsar: DISABLED,
  LoadBrowserProcessSpecificV8Snapshot: DISABLED,
  GrantFileProtocolExtraPrivileges: ENABLED,
};

/**
 * What each fuse must be in the shipped app, and why. A fuse that a newer Electron adds fails
 * the test below until someone decides here what it must be.
 */
const fuseIntent: Record<FuseName, { must: 'off' | 'on' | 'either'; why: string }> = {
  RunAsNode: { must: 'off', why: 'ELECTRON_RUN_AS_NODE=1 would make the signed app a plain Node that runs any script' },
  EnableNodeOptionsEnvironmentVariable: { must: 'off', why: 'NODE_OPTIONS would let the environment load code into the main process' },
  EnableNodeCliInspectArguments: { must: 'off', why: '--inspect would let any local process debug the main process' },
  GrantFileProtocolExtraPrivileges: { must: 'off', why: 'file:// pages would get powers beyond a browser; the app loads only app://' },
  EnableCookieEncryption: { must: 'on', why: 'cookies on disk are encrypted with an OS-held key' },
  EnableEmbeddedAsarIntegrityValidation: { must: 'on', why: 'a modified app.asar is refused' },
  OnlyLoadAppFromAsar: { must: 'on', why: 'code placed beside app.asar is never loaded instead of it' },
  LoadBrowserProcessSpecificV8Snapshot: { must: 'either', why: 'a start-up speed choice with no security effect' },
};
const fuseNames = Object.keys(FuseV1Options).filter((key) => Number.isNaN(Number(key))) as FuseName[];
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

let work: string;
let files: string[];
let extracted: string;
let shippedFuses: Awaited<ReturnType<typeof fuses.getCurrentFuseWire>>;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'firedeck-dist-'));
  const electronDist = join(work, 'electron-dist');
  await mkdir(electronDist);
  // A placeholder for the Electron binary, carrying a fuse wire as a real one does, so that what
  // electron-builder flips is what gets checked.
  const wire = Buffer.from([Number(fuses.FuseVersion.V1), fuseNames.length, ...fuseNames.map((name) => stockWire[name])]);
  await writeFile(join(electronDist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\necho "placeholder for the Electron binary"\nexit 0\n# '), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), wire, Buffer.from('\n')]));
  await chmod(join(electronDist, 'electron'), 0o755);
  const { build, Platform } = require('electron-builder') as typeof import('electron-builder');
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir'),
    config: { ...(config as import('electron-builder').Configuration), electronDist, electronVersion: '45.5.0', directories: { output: join(work, 'out'), buildResources: 'build' } },
  });
  const asar = require('@electron/asar') as typeof import('@electron/asar');
  const archive = join(work, 'out', 'linux-unpacked', 'resources', 'app.asar');
  files = asar.listPackage(archive, { isPack: false });
  shippedFuses = await fuses.getCurrentFuseWire(join(work, 'out', 'linux-unpacked', 'firedeck'));
  extracted = join(work, 'extracted');
  asar.extractAll(archive, extracted);
}, 180_000);
afterAll(() => rm(work, { recursive: true, force: true }));

describe('the packaged app', () => {
  it('holds the built main, preload, backend and renderer, and the production dependencies', () => {
    for (const entry of ['/package.json', '/dist/electron/main.js', '/dist/electron/preload.cjs', '/dist/electron/core.js', '/dist/renderer/index.html']) {
      expect(files).toContain(entry);
    }
    for (const dependency of Object.keys(pkg.dependencies)) {
      expect(files, dependency).toContain(`/node_modules/${dependency}/package.json`);
    }
  });

  it('holds no tests, test doubles, sources, source maps, dev dependencies or native builds', () => {
    expect(files.filter((f) => f.startsWith('/test') || f.startsWith('/electron/') || f.startsWith('/renderer/') || f.startsWith('/bench'))).toEqual([]);
    expect(files.filter((f) => /\.test\.|\.spec\.|\.map$|\.tsx?$|\.node$/.test(f))).toEqual([]);
    expect(files.filter((f) => /firecracker-emulator|test-mirror|\/bin\/firecracker$/.test(f))).toEqual([]);
    const shipped = new Set(files.filter((f) => f.split('/').length === 3 && f.startsWith('/node_modules/')).map((f) => f.split('/')[2]));
    const scoped = new Set(files.filter((f) => f.startsWith('/node_modules/@')).map((f) => f.split('/').slice(2, 4).join('/')));
    for (const dev of Object.keys(pkg.devDependencies)) expect(shipped.has(dev) || scoped.has(dev), dev).toBe(false);
  });

  it('starts its backend in plain Node from the packaged files alone', async () => {
    const { createCore } = (await import(pathToFileURL(join(extracted, 'dist', 'electron', 'core.js')).href)) as typeof import('../../../electron/core');
    const dataDir = join(work, 'data');
    const core = await createCore({ dataDir, mode: 'electron', version: '9.9.9', log: { warn: () => {}, error: () => {} } });
    try {
      expect(await core.router.handle('app.getInfo', undefined, { ownerId: 'test' })).toMatchObject({ ok: true, value: { mode: 'electron', version: '9.9.9' } });
      expect(await core.router.handle('hosts.list', undefined, { ownerId: 'test' })).toEqual({ ok: true, value: [] });
    } finally {
      await core.close();
    }
  });
});

describe('the packaged Electron binary', () => {
  it('has a decided state for every fuse this Electron has', () => {
    expect(Object.keys(fuseIntent).sort()).toEqual([...fuseNames].sort());
  });

  it('has every fuse that opens a way into the app off, and every protecting fuse on', () => {
    const state = (name: FuseName) => shippedFuses[FuseV1Options[name]];
    for (const name of fuseNames) {
      const { must, why } = fuseIntent[name];
      if (must === 'off') expect(state(name), `${name} must be off: ${why}`).toBe(DISABLED);
      if (must === 'on') expect(state(name), `${name} must be on: ${why}`).toBe(ENABLED);
    }
  });
});

describe('the macOS packaging configuration', () => {
  /** `mac.notarize` as electron-builder would read it, with these variables in the environment. */
  const notarizeWith = (env: Record<string, string>) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('APPLE_')));
    const printed = execFileSync(process.execPath, ['-p', `JSON.stringify(require(${JSON.stringify(configPath)}).mac.notarize)`], { env: { ...clean, ...env } });
    return JSON.parse(printed.toString()) as unknown;
  };
  const credentials = { APPLE_ID: 'dev@example.com', APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh-ijkl-mnop', APPLE_TEAM_ID: 'TEAM123456' };

  it('notarizes only when all of Apple\'s credentials are in the environment', () => {
    expect(notarizeWith(credentials)).toBe(true);
    expect(notarizeWith({})).toBe(false);
    for (const missing of Object.keys(credentials)) {
      const partial = Object.fromEntries(Object.entries(credentials).filter(([name]) => name !== missing));
      expect(notarizeWith(partial), `without ${missing}`).toBe(false);
      expect(notarizeWith({ ...credentials, [missing]: '' }), `with an empty ${missing}`).toBe(false);
    }
  });

  it('builds dmg and zip for Apple silicon and Intel, hardened, with the JIT entitlement V8 needs', async () => {
    expect(config.mac.target).toEqual([
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'zip', arch: ['arm64', 'x64'] },
    ]);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(await readFile(join(root, config.mac.entitlements), 'utf8')).toContain('com.apple.security.cs.allow-jit');
  });
});
