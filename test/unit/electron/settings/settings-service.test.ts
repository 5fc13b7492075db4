import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../../shared/channels/settings';
import type { EventMap, EventName } from '../../../../shared/events';
import { createNoticeBoard } from '../../../../electron/app/notices';
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
  const notices = createNoticeBoard(events);
  const settings = await createSettingsService({ store: createSettingsStore(dir.path), events, notices });
  return { settings, notices, seen };
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

  it('tells the user when the settings file was unreadable and where the backup is', async () => {
    await writeFile(join(dir.path, 'settings.json'), '{ this is not json');
    const { settings, notices } = await service();
    expect(await settings.get()).toEqual(defaultSettings);
    const [notice] = notices.list();
    const backup = (await readdir(dir.path)).find((name) => name.startsWith('settings.corrupt-'));
    expect(backup).toBeDefined();
    expect(notice).toMatchObject({ level: 'warning' });
    expect(notice!.message).toContain(backup!);
    expect(notice!.message).toContain('not valid JSON');
  });
});
