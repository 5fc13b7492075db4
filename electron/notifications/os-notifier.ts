import type { OsNotifier } from './notification-service.js';

/** What os-notifier needs of Electron's `Notification` class (passed in: services never import Electron). */
export interface NotificationClass {
  isSupported(): boolean;
  new (options: { title: string; body: string; silent?: boolean }): { show(): void };
}

/**
 * The OS notifier of the desktop app: `createOsNotifier(Notification)` in electron/main.ts.
 * Where the OS has no notifications (some Linux desktops), it shows nothing; the in-app
 * notification is there anyway.
 */
export function createOsNotifier(NotificationCtor: NotificationClass): OsNotifier {
  return {
    show({ title, body }) {
      if (!NotificationCtor.isSupported()) return;
      new NotificationCtor({ title, body: body.length > 300 ? `${body.slice(0, 299)}…` : body }).show();
    },
  };
}
