import type { notificationsChannels } from '../../shared/channels/notifications.js';
import type { RoutesOf } from '../router.js';
import type { NotificationService } from './notification-service.js';

export function createNotificationRoutes(notifications: NotificationService): RoutesOf<typeof notificationsChannels> {
  return {
    'notifications.list': () => notifications.list(),
    'notifications.dismiss': ({ id }) => ({ dismissed: notifications.dismiss(id) }),
    'notifications.viewShown': ({ view, visible }, caller) => {
      notifications.viewShown(view, visible, caller);
      return { ok: true };
    },
  };
}
