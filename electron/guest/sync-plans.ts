import { randomUUID } from 'node:crypto';
import { AppError } from '../app-error.js';

/** What a plan was made for: the same VM, workspace folder and guest folder must come back with it. */
export interface SyncPlanScope {
  hostId: string;
  id: string;
  workspaceId: string;
  path: string;
  guestDir: string;
}

export interface SyncPlan {
  planId: string;
  expiresAt: number;
  toDelete: string[];
}

export interface SyncPlanStore {
  /** Records what a preview found; refuses any path that could name something outside the guest folder. */
  create(ownerId: string, scope: SyncPlanScope, toDelete: string[]): SyncPlan;
  /** Hands a plan out once, to the window that made it, for the scope it was made for; it is gone after. */
  take(planId: string, ownerId: string, scope: SyncPlanScope): SyncPlan;
  /** Plans not yet used or expired (tests). */
  readonly size: number;
}

/** About the time a person takes to read the list and decide. */
export const SYNC_PLAN_TTL_MS = 10 * 60_000;
/** A window previewing again and again keeps only its newest few. */
const PLANS_PER_OWNER = 8;

/**
 * A path relative to the guest folder, as sync plans hold them: no leading `/`, no `.` or `..`
 * component, no empty component, no NUL or line break. Anything else could reach out of the folder.
 */
export function isContainedPath(path: string): boolean {
  if (path === '' || path.length > 4096 || /[\0\n]/.test(path) || path.startsWith('/')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

const sameScope = (a: SyncPlanScope, b: SyncPlanScope) =>
  a.hostId === b.hostId && a.id === b.id && a.workspaceId === b.workspaceId && a.path.replace(/^\/+|\/+$/g, '') === b.path.replace(/^\/+|\/+$/g, '') && a.guestDir.replace(/\/+$/, '') === b.guestDir.replace(/\/+$/, '');

export function createSyncPlanStore(options: { now?: () => number; ttlMs?: number } = {}): SyncPlanStore {
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? SYNC_PLAN_TTL_MS;
  const plans = new Map<string, SyncPlan & { ownerId: string; scope: SyncPlanScope }>();

  const sweep = () => {
    for (const [planId, plan] of plans) if (plan.expiresAt <= now()) plans.delete(planId);
  };

  return {
    create(ownerId, scope, toDelete) {
      const bad = toDelete.find((p) => !isContainedPath(p));
      if (bad !== undefined) throw new AppError('INVALID_PATH', `The guest listed ${JSON.stringify(bad.slice(0, 200))}, which is not a path inside ${scope.guestDir}; nothing was planned.`, { remedy: 'Check the guest folder for odd names, then preview again.' });
      sweep();
      const mine = [...plans].filter(([, p]) => p.ownerId === ownerId);
      for (const [planId] of mine.slice(0, Math.max(0, mine.length - PLANS_PER_OWNER + 1))) plans.delete(planId);
      const plan = { planId: randomUUID(), expiresAt: now() + ttlMs, toDelete: [...toDelete] };
      plans.set(plan.planId, { ...plan, ownerId, scope: { ...scope } });
      return plan;
    },
    take(planId, ownerId, scope) {
      const plan = plans.get(planId);
      const again = { remedy: 'Sync again: Firedeck shows the files to delete once more.' };
      if (!plan || plan.ownerId !== ownerId) throw new AppError('NOT_FOUND', 'That list of files to delete is not known here (it was used already, or made in another window).', again);
      if (plan.expiresAt <= now()) {
        plans.delete(planId);
        throw new AppError('NOT_FOUND', 'That list of files to delete is more than 10 minutes old; the guest may have changed since.', again);
      }
      if (!sameScope(plan.scope, scope)) throw new AppError('INVALID_INPUT', 'That list of files to delete was made for another folder or microVM.', again);
      plans.delete(planId);
      // Checked again: a plan must never carry a path out of the folder, however it was made.
      if (!plan.toDelete.every(isContainedPath)) throw new AppError('INVALID_PATH', 'The list of files to delete names a path outside the guest folder; nothing was deleted.', again);
      return { planId, expiresAt: plan.expiresAt, toDelete: plan.toDelete };
    },
    get size() {
      sweep();
      return plans.size;
    },
  };
}
