import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../electron/app-error';
import { createSyncPlanStore, isContainedPath, SYNC_PLAN_TTL_MS } from '../../../../electron/guest/sync-plans';

const scope = { hostId: 'h1', id: 'vm-1', workspaceId: 'vm-1', path: 'site', guestDir: '/root/www' };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return undefined;
}

describe('sync plans', () => {
  it('hands a plan out once, with the paths the preview found', () => {
    const store = createSyncPlanStore();
    const plan = store.create('window-a', scope, ['old.html', 'css/old.css']);
    expect(store.take(plan.planId, 'window-a', scope).toDelete).toEqual(['old.html', 'css/old.css']);
    expect(codeOf(() => store.take(plan.planId, 'window-a', scope))).toBe('NOT_FOUND');
    expect(store.size).toBe(0);
  });

  it('refuses a plan after ten minutes, and keeps it until then', () => {
    let now = 1_000_000;
    const store = createSyncPlanStore({ now: () => now });
    const early = store.create('window-a', scope, ['a']);
    const late = store.create('window-a', scope, ['b']);
    now += SYNC_PLAN_TTL_MS - 1;
    expect(store.take(early.planId, 'window-a', scope).toDelete).toEqual(['a']);
    now += 1;
    expect(codeOf(() => store.take(late.planId, 'window-a', scope))).toBe('NOT_FOUND');
    expect(new Date(late.expiresAt).getTime()).toBe(1_000_000 + SYNC_PLAN_TTL_MS);
  });

  it('refuses a plan from another window, and leaves it to its own window', () => {
    const store = createSyncPlanStore();
    const plan = store.create('window-a', scope, ['a']);
    expect(codeOf(() => store.take(plan.planId, 'window-b', scope))).toBe('NOT_FOUND');
    expect(store.take(plan.planId, 'window-a', scope).toDelete).toEqual(['a']);
  });

  it('refuses a plan for another guest folder, workspace folder or microVM', () => {
    const store = createSyncPlanStore();
    for (const other of [{ guestDir: '/root' }, { path: '' }, { id: 'vm-2' }, { workspaceId: 'other' }]) {
      const plan = store.create('window-a', scope, ['a']);
      expect(codeOf(() => store.take(plan.planId, 'window-a', { ...scope, ...other }))).toBe('INVALID_INPUT');
    }
    // The same folders spelled with extra slashes are the same plan.
    const plan = store.create('window-a', scope, ['a']);
    expect(store.take(plan.planId, 'window-a', { ...scope, path: '/site/', guestDir: '/root/www/' }).toDelete).toEqual(['a']);
  });

  it('refuses to plan any path that could leave the guest folder', () => {
    const store = createSyncPlanStore();
    for (const bad of ['../etc/passwd', 'a/../../b', '/etc/passwd', 'a//b', './a', 'a/.', '', 'a\nb', 'a\0b', 'a/']) {
      expect(isContainedPath(bad), JSON.stringify(bad)).toBe(false);
      expect(codeOf(() => store.create('window-a', scope, ['fine.txt', bad]))).toBe('INVALID_PATH');
    }
    expect(store.size).toBe(0);
    for (const good of ['a', '.env', 'a/b/..c', 'dir with space/x', "it's $(x)"]) expect(isContainedPath(good)).toBe(true);
  });

  it('keeps only a window’s newest plans', () => {
    const store = createSyncPlanStore();
    const first = store.create('window-a', scope, ['a']);
    for (let i = 0; i < 8; i++) store.create('window-a', scope, ['a']);
    const other = store.create('window-b', scope, ['a']);
    expect(codeOf(() => store.take(first.planId, 'window-a', scope))).toBe('NOT_FOUND');
    expect(store.take(other.planId, 'window-b', scope).toDelete).toEqual(['a']);
  });
});
