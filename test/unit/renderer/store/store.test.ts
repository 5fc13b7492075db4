import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../shared/channels/settings';
import { connectionBanner } from '../../../../renderer/store/connection-slice';
import { subscribeToBackend } from '../../../../renderer/store/events';
import { effectiveTheme } from '../../../../renderer/store/settings-slice';
import { createAppStore } from '../../../../renderer/store/store';
import { viewFromHash } from '../../../../renderer/store/ui-slice';
import { createFakeApi } from '../../../support/fake-api';

const info = { name: 'Firedeck', version: '1.0.0', mode: 'browser', platform: 'linux', dataDir: '/d', notices: [] };

describe('settings slice', () => {
  it('keeps field errors from the backend next to the fields and clears them on success', async () => {
    let reject = true;
    const fake = createFakeApi({
      'settings.update': (patch) =>
        reject
          ? { error: { code: 'INVALID_INPUT', message: 'Invalid input', details: { issues: [{ path: 'imageBaseUrl', message: 'must be a URL' }] } } }
          : { ...defaultSettings, ...(patch as object) },
    });
    const store = createAppStore(fake.api);
    expect(await store.getState().settings.save({ imageBaseUrl: 'nope' })).toBe(false);
    expect(store.getState().settings.fieldErrors).toEqual({ imageBaseUrl: 'must be a URL' });
    expect(store.getState().settings.saving).toBe(false);

    reject = false;
    expect(await store.getState().settings.save({ theme: 'dark' })).toBe(true);
    expect(store.getState().settings).toMatchObject({ fieldErrors: {}, error: undefined, value: { theme: 'dark' } });
  });
});

describe('backend events', () => {
  it('reload everything when the connection comes back, and show the loss meanwhile', async () => {
    const fake = createFakeApi({ 'app.getInfo': () => info, 'settings.get': () => defaultSettings, 'hosts.list': () => [], 'workspaces.list': () => [], 'vms.list': () => [] });
    const store = createAppStore(fake.api);
    subscribeToBackend(store, fake.api);
    fake.setStatus({ state: 'lost', since: 1 });
    expect(connectionBanner(store.getState().connection.status)?.title).toMatch(/Lost connection/);
    const before = fake.calls.length;
    fake.setStatus({ state: 'connected' });
    await Promise.resolve();
    expect(fake.calls.slice(before).map((c) => c.channel).sort()).toEqual(['app.getInfo', 'hosts.list', 'notifications.list', 'settings.get', 'vms.list', 'workspaces.list']);
    expect(connectionBanner(store.getState().connection.status)).toBeNull();
  });

  it('apply pushed settings and notices', () => {
    const fake = createFakeApi({ 'app.getInfo': () => info, 'settings.get': () => defaultSettings, 'hosts.list': () => [], 'workspaces.list': () => [], 'vms.list': () => [] });
    const store = createAppStore(fake.api);
    subscribeToBackend(store, fake.api);
    fake.emit('settings.changed', { ...defaultSettings, theme: 'light' });
    fake.emit('app.noticeRaised', { id: 'n1', level: 'warning', message: 'm' });
    expect(store.getState().settings.value?.theme).toBe('light');
    expect(store.getState().app.notices.map((n) => n.id)).toEqual(['n1']);
  });
});

describe('selectors', () => {
  it('effectiveTheme follows the system unless the user chose', () => {
    expect(effectiveTheme('system', true)).toBe('dark');
    expect(effectiveTheme(undefined, false)).toBe('light');
    expect(effectiveTheme('light', true)).toBe('light');
  });

  it('viewFromHash falls back to Hosts for anything unknown', () => {
    expect(viewFromHash('#/settings')).toBe('settings');
    expect(viewFromHash('#/vms')).toBe('vms');
    expect(viewFromHash('#token=abc')).toBe('hosts');
    expect(viewFromHash('#/__proto__')).toBe('hosts');
  });

  it('connectionBanner says what to do when the page has no token', () => {
    expect(connectionBanner({ state: 'unusable', message: 'No token.', remedy: 'Open the full address.' })).toEqual({
      tone: 'error',
      title: 'No token.',
      body: 'Open the full address.',
    });
  });
});

describe('hosts slice', () => {
  const host = { id: 'h1', label: 'box', address: '10.0.0.1', port: 22, user: 'me', auth: { method: 'key', keyPath: '/k' }, transport: 'ssh-unix', createdAt: '', connection: { state: 'disconnected' }, secretRemembered: false };

  it('asks about an unknown key, and shows a refused trust as an error instead of a prompt it cannot fill', async () => {
    let calls = 0;
    const fake = createFakeApi({
      'hosts.list': () => [host],
      'hosts.connect': () => ({ error: { code: 'HOST_KEY_UNKNOWN', message: 'unknown key', details: { host: '10.0.0.1', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc' } } }),
      'hosts.trustKey': () => {
        calls += 1;
        return { error: { code: 'HOST_KEY_REVOKED', message: 'revoked', remedy: 'ask the admin' } };
      },
    });
    const store = createAppStore(fake.api);
    await store.getState().hosts.load();
    await store.getState().hosts.connect('h1');
    expect(store.getState().hosts.prompt).toMatchObject({ kind: 'host-key', hostId: 'h1' });
    await store.getState().hosts.trustKey('h1', 'SHA256:abc', false);
    expect(calls).toBe(1);
    expect(store.getState().hosts.prompt).toBeUndefined();
    expect(store.getState().hosts.errors.h1).toMatchObject({ code: 'HOST_KEY_REVOKED', remedy: 'ask the admin' });
  });
});
