import { z } from 'zod';
import { channel } from '../channel.js';

export type NotificationKind = 'vm-exited' | 'host-lost' | 'host-back' | 'task-finished';

/** Something the user should hear about while looking elsewhere. */
export interface AppNotification {
  id: string;
  kind: NotificationKind;
  level: 'info' | 'warning' | 'error';
  title: string;
  body: string;
  /** For an exited VM: the last lines of its console. */
  lines?: string[];
  /** ISO time it was raised. */
  at: string;
  hostId?: string;
  vmId?: string;
  /** The view that shows what it is about (`vms`, `hosts`, `workspaces`, …). */
  view?: string;
}

/** A long task ended (a wizard run, a push, a sync): its owner emits this; the user hears of it if its view is not on screen. */
export interface TaskFinishedEvent {
  task: 'wizard' | 'push' | 'sync' | 'import';
  /** The view the task belongs to (`hosts`, `workspaces`, `images`, `vms`). */
  view: string;
  title: string;
  ok: boolean;
  message?: string;
  hostId?: string;
}

const viewName = z.string().regex(/^[a-z][a-z-]{0,31}$/, { message: 'A view name is a short lowercase word.' });

export const notificationsChannels = {
  'notifications.list': channel<AppNotification[]>()(z.undefined()),
  'notifications.dismiss': channel<{ dismissed: boolean }>()(z.object({ id: z.string().uuid() }).strict()),
  /**
   * The calling window tells which view it shows and whether it is on screen (document
   * visible); a task whose view no window shows raises a notification when it ends.
   */
  'notifications.viewShown': channel<{ ok: true }>()(z.object({ view: viewName, visible: z.boolean() }).strict()),
};
