import { describe, expect, it } from 'vitest';
import { defaultJailSettings, jailSettingsSchema } from '../../../../shared/channels/jail';
import { settingsChannels } from '../../../../shared/channels/settings';

const update = settingsChannels['settings.update'].input;

/** What `settings.update` says about `jail: {...defaults, ...patch}`: the stored jail settings, or each refused field with its message. */
function jail(patch: Record<string, unknown>): { stored: unknown } | { refused: Record<string, string> } {
  const parsed = update.safeParse({ jail: { ...defaultJailSettings, ...patch } });
  if (parsed.success) return { stored: parsed.data.jail };
  return { refused: Object.fromEntries(parsed.error.issues.map((issue) => [issue.path.join('.'), issue.message])) };
}

describe('jail settings', () => {
  it('take a uid range inside 10000–2147483646 that holds at least 8 ids, per VM or per host', () => {
    expect(jail({})).toEqual({ stored: defaultJailSettings });
    expect(jail({ uidMin: 10_000, uidMax: 10_007, uidPer: 'host' })).toEqual({ stored: { ...defaultJailSettings, uidMin: 10_000, uidMax: 10_007, uidPer: 'host' } });
    expect(jail({ uidMin: 2_147_483_639, uidMax: 2_147_483_646, memoryOverheadMib: 0 })).toEqual({
      stored: { ...defaultJailSettings, uidMin: 2_147_483_639, uidMax: 2_147_483_646, memoryOverheadMib: 0 },
    });
  });

  it('refuse bounds outside the span, naming the field and the limit', () => {
    expect(jail({ uidMin: 9_999 })).toEqual({ refused: { 'jail.uidMin': 'The first jail uid must be 10000 or above (lower ids belong to system and login users).' } });
    expect(jail({ uidMax: 2_147_483_647 })).toEqual({ refused: { 'jail.uidMax': 'The last jail uid must be 2147483646 at most.' } });
    expect(jail({ uidMin: 900_000.5 })).toEqual({ refused: { 'jail.uidMin': 'The first jail uid must be a whole number.' } });
  });

  it('refuse a range whose end is not above its start', () => {
    expect(jail({ uidMin: 900_000, uidMax: 900_000 })).toEqual({ refused: { 'jail.uidMax': 'The last jail uid must be above the first.' } });
    expect(jail({ uidMin: 900_010, uidMax: 900_000 })).toEqual({ refused: { 'jail.uidMax': 'The last jail uid must be above the first.' } });
  });

  it('refuse a range of fewer than 8 ids, saying the smallest end that would do', () => {
    expect(jail({ uidMin: 900_000, uidMax: 900_006 })).toEqual({ refused: { 'jail.uidMax': 'The jail uid range must hold at least 8 ids (900000–900007 at the least).' } });
    expect(jail({ uidMin: 900_000, uidMax: 900_007 })).not.toHaveProperty('refused');
  });

  it('refuse an unknown uid mode, a negative memory overhead and unknown fields', () => {
    expect(jail({ uidPer: 'user' })).toEqual({ refused: { 'jail.uidPer': 'Jail uids are given per VM ("vm") or per host ("host").' } });
    expect(jail({ memoryOverheadMib: -1 })).toEqual({ refused: { 'jail.memoryOverheadMib': 'The memory overhead cannot be negative.' } });
    expect(jailSettingsSchema.safeParse({ ...defaultJailSettings, uidCount: 8 }).success).toBe(false);
  });
});
