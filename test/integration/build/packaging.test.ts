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
const config = require(join(root, 'build/electron-builder.config.cjs')) as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  mac: { target: { target: string; arch: string[] }[]; hardenedRuntime: boolean; entitlements: string; notarize: boolean };
};
const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

let work: string;
let files: string[];
let extracted: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'firedeck-dist-'));
  const electronDist = join(work, 'electron-dist');
  await mkdir(electronDist);
  await writeFile(join(electronDist, 'electron'), '#!/bin/sh\necho "placeholder for the Electron binary"\n');
  await chmod(join(electronDist, 'electron'), 0o755);
  const { build, Platform } = require('electron-builder') as typeof import('electron-builder');
  await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget('dir'),
    // Fuses are flipped inside the real Electron binary, which a placeholder does not have; the
    // fuse settings themselves are checked on the configuration below.
    config: { ...(config as import('electron-builder').Configuration), electronDist, electronVersion: '45.5.0', electronFuses: null, directories: { output: join(work, 'out'), buildResources: 'build' } },
  });
  const asar = require('@electron/asar') as typeof import('@electron/asar');
  const archive = join(work, 'out', 'linux-unpacked', 'resources', 'app.asar');
  files = asar.listPackage(archive, { isPack: false });
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

describe('the packaging configuration', () => {
  it('sets the Electron fuses the security checklist asks for', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.asar).toBe(true);
  });

  it('builds dmg and zip for Apple silicon and Intel, hardened, with entitlements', async () => {
    expect(config.mac.target).toEqual([
      { target: 'dmg', arch: ['arm64', 'x64'] },
      { target: 'zip', arch: ['arm64', 'x64'] },
    ]);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(await readFile(join(root, config.mac.entitlements), 'utf8')).toContain('com.apple.security.cs.allow-jit');
    // Without Apple's credentials in the environment, notarizing is off rather than failing.
    expect(config.mac.notarize).toBe(Boolean(process.env.APPLE_ID && process.env.APPLE_APP_SPECIFIC_PASSWORD && process.env.APPLE_TEAM_ID));
    expect(config.appId).toBe('dev.firedeck.app');
  });
});
