import type { TaskFinishedEvent } from '../../shared/channels/notifications.js';
import type { EventBus } from '../event-bus.js';
import type { Router } from '../router.js';

/** The requests that are long tasks a user may leave running while looking elsewhere. */
const LONG_TASKS: Record<string, { task: TaskFinishedEvent['task']; view: string; what(input: Record<string, unknown>): string }> = {
  'workspaces.push': { task: 'push', view: 'workspaces', what: (input) => `Push of ${String(input.path)}` },
  'images.import': { task: 'import', view: 'images', what: (input) => `Import of ${String(input.path)}` },
};

/**
 * The router, with every long task's end (a push, an image import) told on the event bus as
 * `tasks.finished`, however it ended, so the notification service can tell a user whose window
 * does not show that task's view. The services need not know about notifications; the wizard
 * reports its own end through `wizard.stepProgressed`. A cancel is the user's own doing: no news.
 */
export function taskNotifyingRouter(router: Router, deps: { events: EventBus; hostLabel(hostId: string): string | undefined }): Router {
  return {
    async handle(channel, input, caller) {
      const result = await router.handle(channel, input, caller);
      const long = typeof channel === 'string' ? LONG_TASKS[channel] : undefined;
      if (!long || typeof input !== 'object' || input === null) return result;
      if (!result.ok && (result.error.code === 'CANCELLED' || result.error.code === 'INVALID_INPUT')) return result;
      const fields = input as Record<string, unknown>;
      const hostId = typeof fields.hostId === 'string' ? fields.hostId : undefined;
      const host = hostId ? deps.hostLabel(hostId) : undefined;
      const what = `${long.what(fields)}${host ? ` to ${host}` : ''}`;
      deps.events.emit('tasks.finished', {
        task: long.task,
        view: long.view,
        title: `${what} ${result.ok ? 'finished' : 'failed'}`,
        ok: result.ok,
        ...(result.ok ? {} : { message: result.error.message }),
        ...(hostId ? { hostId } : {}),
      });
      return result;
    },
  };
}
