import { describe, expect, it } from 'vitest';
import { guestChannels } from '../../../../shared/channels/guest';

const base = { hostId: '6f1c2a52-56a4-4a55-9d2e-0a8f6f1f7e01', id: 'vm-1', workspaceId: 'vm-1', guestDir: '/root/www', transferId: '0b9f0a77-2f5c-4a9d-8c57-1d3d1c5b2c11' };

describe('guest.sync and guest.syncPreview inputs', () => {
  it('deletes nothing unless asked, and asks for a plan to delete', () => {
    expect(guestChannels['guest.sync'].input.parse(base)).toMatchObject({ deleteExtraneous: false, path: '' });
    expect(guestChannels['guest.sync'].input.safeParse({ ...base, deleteExtraneous: true }).success).toBe(false);
    expect(guestChannels['guest.sync'].input.safeParse({ ...base, deleteExtraneous: true, planId: 'not-a-uuid' }).success).toBe(false);
    expect(guestChannels['guest.sync'].input.safeParse({ ...base, deleteExtraneous: true, planId: base.transferId }).success).toBe(true);
  });

  it('previews a guest folder given as an absolute path, and nothing more', () => {
    const { transferId: _, ...preview } = base;
    expect(guestChannels['guest.syncPreview'].input.safeParse(preview).success).toBe(true);
    expect(guestChannels['guest.syncPreview'].input.safeParse({ ...preview, guestDir: 'relative' }).success).toBe(false);
    expect(guestChannels['guest.syncPreview'].input.safeParse({ ...preview, toDelete: ['x'] }).success).toBe(false);
  });
});
