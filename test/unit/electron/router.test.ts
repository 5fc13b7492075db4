import { describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../../shared/channels/settings';
import { channels } from '../../../shared/contract';
import { AppError } from '../../../electron/app-error';
import { createRouter } from '../../../electron/router';
import type { Caller, Handlers } from '../../../electron/router';

const caller: Caller = { ownerId: 'test-window' };

function setup(overrides: Partial<Handlers> = {}) {
  const handlers = {
    // Every channel gets a handler; the ones these tests call are spelled out below.
    ...Object.fromEntries(Object.keys(channels).map((name) => [name, vi.fn()])),
    'app.getInfo': vi.fn(() => ({ name: 'Firedeck', version: '1', mode: 'browser' as const, platform: 'linux', dataDir: '/d', canRememberSecrets: false, notices: [] })),
    'app.dismissNotice': vi.fn(() => ({ dismissed: true })),
    'settings.get': vi.fn(() => defaultSettings),
    'settings.update': vi.fn((patch) => ({ ...defaultSettings, ...patch })),
    'settings.reset': vi.fn(() => defaultSettings),
    ...overrides,
  } as Handlers;
  const log = { warn: vi.fn(), error: vi.fn() };
  return { router: createRouter(handlers, log), handlers, log };
}

describe('router', () => {
  it('calls the handler with the parsed input and returns its value', async () => {
    const { router, handlers } = setup();
    const result = await router.handle('settings.update', { imageBaseUrl: 'https://mirror.example/images/' }, caller);
    expect(result).toEqual({ ok: true, value: { ...defaultSettings, imageBaseUrl: 'https://mirror.example/images' } });
    expect(handlers['settings.update']).toHaveBeenCalledWith({ imageBaseUrl: 'https://mirror.example/images' }, caller);
  });

  it('answers INVALID_INPUT naming the offending field, and does not call the handler', async () => {
    const { router, handlers } = setup();
    const result = await router.handle('settings.update', { imageBaseUrl: 42, theme: 'light' }, caller);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', details: { issues: [{ path: 'imageBaseUrl' }] } } });
    expect(result.ok === false && result.error.message).toContain('imageBaseUrl');
    expect(handlers['settings.update']).not.toHaveBeenCalled();
  });

  it('refuses fields the contract does not know', async () => {
    const { router } = setup();
    const result = await router.handle('settings.update', { theme: 'dark', isAdmin: true }, caller);
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it.each([null, 42, 'settings.delete', '__proto__', 'constructor', { channel: 'x' }])('refuses unknown channel %j', async (channel) => {
    const { router } = setup();
    expect(await router.handle(channel, undefined, caller)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('passes an AppError through as code, message, remedy and details', async () => {
    const { router } = setup({
      'settings.reset': () => {
        throw new AppError('STORE_WRITE_FAILED', 'Could not save.', { remedy: 'Free some disk space.', cause: new Error('/Users/me/secret') });
      },
    });
    expect(await router.handle('settings.reset', undefined, caller)).toEqual({
      ok: false,
      error: { code: 'STORE_WRITE_FAILED', message: 'Could not save.', remedy: 'Free some disk space.' },
    });
  });

  it('turns any other error into INTERNAL without its message, stack or paths, and logs it', async () => {
    const boom = new Error("ENOENT: no such file or directory, open '/Users/alice/Library/secret'");
    const { router, log } = setup({ 'settings.get': () => Promise.reject(boom) });
    const result = await router.handle('settings.get', undefined, caller);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const text = JSON.stringify(result);
    expect(text).not.toContain('/Users/alice');
    expect(text).not.toContain('ENOENT');
    expect(text).not.toContain('at ');
    expect(log.error).toHaveBeenCalledWith('request settings.get failed', boom);
  });
});
