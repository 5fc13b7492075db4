import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../shared/channels/settings';
import type { EventMap, EventName } from '../../../../shared/events';
import { createEventBus } from '../../../../electron/event-bus';
import { createSettingsService, createSettingsStore } from '../../../../electron/settings/settings-service';
import { makeTempDir } from '../../../support/temp-dir';

let dir: Awaited<ReturnType<typeof makeTempDir>>;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(() => dir.cleanup());

async function service() {
  const events = createEventBus();
  const seen: { event: EventName; payload: EventMap[EventName] }[] = [];
  events.subscribe((event, payload) => seen.push({ event, payload }));
  const store = createSettingsStore(dir.path);
  const settings = await createSettingsService({ store, events });
  return { settings, store, seen };
}

describe('settings service', () => {
  it('starts with defaults, keeps changes across restarts and announces them', async () => {
    const first = await service();
    expect(await first.settings.get()).toEqual(defaultSettings);
    await first.settings.update({ theme: 'dark', firecrackerVersion: 'v1.13.1' });
    expect(first.seen.map((e) => e.event)).toEqual(['settings.changed']);

    const second = await service();
    expect(await second.settings.get()).toEqual({ ...defaultSettings, theme: 'dark', firecrackerVersion: 'v1.13.1' });
    expect(await second.settings.reset()).toEqual(defaultSettings);
    expect(await (await service()).settings.get()).toEqual(defaultSettings);
  });

  it('fills settings added by a newer release from their defaults', async () => {
    await writeFile(join(dir.path, 'settings.json'), JSON.stringify({ schemaVersion: 1, data: { theme: 'light' } }));
    expect(await (await service()).settings.get()).toEqual({ ...defaultSettings, theme: 'light' });
  });

  it('starts from defaults when the settings file was unreadable, and reports where the backup is', async () => {
    await writeFile(join(dir.path, 'settings.json'), '{ this is not json');
    const { settings, store } = await service();
    expect(await settings.get()).toEqual(defaultSettings);
    const backup = (await readdir(dir.path)).find((name) => name.startsWith('settings.corrupt-'));
    expect(backup).toBeDefined();
    const { recovered } = await store.load();
    expect(recovered?.message).toBe(`Your settings file could not be read (it is not valid JSON). Firedeck kept it as ${backup} in its data folder and started with default settings.`);
    expect(recovered?.remedy).toContain('Settings');
  });

  it('keeps every one of several updates made at once', async () => {
    const { settings } = await service();
    await Promise.all([settings.update({ theme: 'dark' }), settings.update({ firecrackerVersion: 'v1.13.1' })]);
    expect(await (await service()).settings.get()).toMatchObject({ theme: 'dark', firecrackerVersion: 'v1.13.1' });
  });
});
