import type { AppNotification } from '../../shared/channels/notifications';
import { patchSlice } from './slice';
import type { SliceContext } from './slice';

/** Toasts on screen at once; older ones stay in the list until dismissed. */
export const MAX_TOASTS = 4;

export interface NotificationsSlice {
  items: AppNotification[];
  load(): Promise<void>;
  applyRaised(notification: AppNotification): void;
  applyDismissed(id: string): void;
  dismiss(id: string): Promise<void>;
  /** Tells main which view this window shows and whether it is on screen. */
  reportView(view: string, visible: boolean): Promise<void>;
}

/** The newest first, at most `max`. */
export function toasts(items: readonly AppNotification[], max = MAX_TOASTS): AppNotification[] {
  return [...items].sort((a, b) => b.at.localeCompare(a.at)).slice(0, max);
}

export function createNotificationsSlice(ctx: SliceContext): NotificationsSlice {
  const items = () => ctx.get().notifications.items;
  return {
    items: [],
    async load() {
      patchSlice(ctx, 'notifications', { items: await ctx.api.invoke('notifications.list') });
    },
    applyRaised(notification) {
      patchSlice(ctx, 'notifications', { items: [...items().filter((n) => n.id !== notification.id), notification].slice(-100) });
    },
    applyDismissed(id) {
      patchSlice(ctx, 'notifications', { items: items().filter((n) => n.id !== id) });
    },
    async dismiss(id) {
      patchSlice(ctx, 'notifications', { items: items().filter((n) => n.id !== id) });
      await ctx.api.invoke('notifications.dismiss', { id }).catch(() => {});
    },
    async reportView(view, visible) {
      await ctx.api.invoke('notifications.viewShown', { view, visible }).catch(() => {});
    },
  };
}
