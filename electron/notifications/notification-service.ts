import { randomUUID } from 'node:crypto';
import type { ConnectionState, HostSummary } from '../../shared/channels/hosts.js';
import type { AppNotification, TaskFinishedEvent } from '../../shared/channels/notifications.js';
import type { VmState, VmSummary } from '../../shared/channels/vms.js';
import type { SetupStepState } from '../../shared/channels/wizard.js';
import type { ResourceRegistry } from '../app/resources.js';
import type { EventBus } from '../event-bus.js';
import type { Caller } from '../router.js';

/** Shows a notification of the operating system (Electron's Notification); see os-notifier.ts. */
export interface OsNotifier {
  show(notification: { title: string; body: string }): void;
}

export interface NotificationService {
  list(): AppNotification[];
  dismiss(id: string): boolean;
  /** The caller's window shows `view`, on screen or not; forgotten when the window goes. */
  viewShown(view: string, visible: boolean, caller: Caller): void;
  close(): void;
}

export interface NotificationServiceDeps {
  events: EventBus;
  resources: ResourceRegistry;
  notifier?: OsNotifier;
  /** How many notifications are kept; the oldest go first (default 100). */
  max?: number;
  now?: () => Date;
}

/** Console lines an exited VM's notification carries. */
const LAST_LINES = 10;
const ALIVE: readonly VmState[] = ['starting', 'running', 'paused'];
const MAX_TRACKED = 10_000;

/**
 * Tells the user what happened while they looked elsewhere: a microVM that exited without being
 * stopped (with the end of its console), a host connection lost and back, a long task that ended
 * while no window showed its view. It learns all of it from the event bus (`vms.changed`,
 * `hosts.changed`, `wizard.stepProgressed`, `tasks.finished`), so no service has to call it.
 * In-app notifications go to every window (`notifications.raised`); an OS notification is shown
 * too when no window is on screen.
 */
export function createNotificationService(deps: NotificationServiceDeps): NotificationService {
  const now = deps.now ?? (() => new Date());
  const max = deps.max ?? 100;
  const items = new Map<string, AppNotification>();
  const vmStates = new Map<string, VmState>();
  const hostStates = new Map<string, ConnectionState['state']>();
  const hostLabels = new Map<string, string>();
  /** Hosts lost and not back yet → the id of the notification that said so. */
  const lostHosts = new Map<string, string>();
  /** ownerId → what its window shows. */
  const views = new Map<string, { view: string; visible: boolean }>();

  const shown = (view: string) => [...views.values()].some((v) => v.view === view && v.visible);
  const anyVisible = () => [...views.values()].some((v) => v.visible);

  function dismiss(id: string): boolean {
    const had = items.delete(id);
    if (had) deps.events.emit('notifications.dismissed', { id });
    return had;
  }

  function raise(fields: Omit<AppNotification, 'id' | 'at'>): string {
    const notification: AppNotification = { id: randomUUID(), at: now().toISOString(), ...fields };
    items.set(notification.id, notification);
    while (items.size > max) items.delete(items.keys().next().value!);
    deps.events.emit('notifications.raised', notification);
    if (deps.notifier && !anyVisible()) {
      try {
        deps.notifier.show({ title: notification.title, body: [notification.body, ...(notification.lines?.slice(-3) ?? [])].join('\n') });
      } catch {
        // The OS refusing a notification must not stop the in-app one.
      }
    }
    return notification.id;
  }

  const remember = <K, V>(map: Map<K, V>, key: K, value: V) => {
    map.set(key, value);
    if (map.size > MAX_TRACKED) map.delete(map.keys().next().value!);
  };

  function onVm(vm: VmSummary) {
    const key = `${vm.hostId}/${vm.id}`;
    const before = vmStates.get(key);
    remember(vmStates, key, vm.state);
    // Only a VM seen alive in this session: an old exited VM found at start is no news.
    if (before === undefined || !ALIVE.includes(before) || vm.state !== 'exited') return;
    const host = hostLabels.get(vm.hostId);
    const name = vm.name ? `${vm.name} (${vm.id})` : vm.id;
    raise({
      kind: 'vm-exited',
      level: 'error',
      title: `${name} exited`,
      body: `The microVM ${name}${host ? ` on ${host}` : ''} stopped without being asked to.${vm.lastLog?.length ? ' The end of its console:' : ''}`,
      ...(vm.lastLog?.length ? { lines: vm.lastLog.slice(-LAST_LINES) } : {}),
      hostId: vm.hostId,
      vmId: vm.id,
      view: 'vms',
    });
  }

  function onHost(host: HostSummary) {
    hostLabels.set(host.id, host.label);
    const before = hostStates.get(host.id);
    const state = host.connection.state;
    remember(hostStates, host.id, state);
    if (before === 'connected' && (state === 'reconnecting' || state === 'failed')) {
      const why = host.connection.state === 'reconnecting' || host.connection.state === 'failed' ? host.connection.error.message : '';
      const id = raise({
        kind: 'host-lost',
        level: 'warning',
        title: `${host.label} is unreachable`,
        body: `The connection to ${host.label} dropped${why ? `: ${why}` : '.'}${state === 'reconnecting' ? ' Firedeck keeps trying.' : ''}`,
        hostId: host.id,
        view: 'hosts',
      });
      lostHosts.set(host.id, id);
    } else if (state === 'connected' && lostHosts.has(host.id)) {
      // "Unreachable" is no longer true once it is back: that toast goes, the news that it is back stays.
      dismiss(lostHosts.get(host.id)!);
      lostHosts.delete(host.id);
      raise({ kind: 'host-back', level: 'info', title: `${host.label} is back`, body: `Firedeck is connected to ${host.label} again.`, hostId: host.id, view: 'hosts' });
    } else if (state === 'disconnected') {
      lostHosts.delete(host.id); // the user disconnected it: no "back" to announce
    }
  }

  function onTask(task: TaskFinishedEvent) {
    if (shown(task.view)) return;
    raise({
      kind: 'task-finished',
      level: task.ok ? 'info' : 'error',
      title: task.title,
      body: task.message ?? (task.ok ? 'It finished.' : 'It failed.'),
      ...(task.hostId ? { hostId: task.hostId } : {}),
      view: task.view,
    });
  }

  function onWizard({ hostId, step, running }: { hostId: string; step: SetupStepState; running: boolean }) {
    if (running) return;
    const host = hostLabels.get(hostId) ?? 'the host';
    const failed = step.status === 'failed' || step.error !== undefined;
    const cancelled = step.error?.code === 'CANCELLED';
    onTask({
      task: 'wizard',
      view: 'hosts',
      hostId,
      ok: !failed,
      title: cancelled ? `Setup of ${host} cancelled` : failed ? `Setup of ${host} failed` : `Setup of ${host} finished`,
      message: failed ? (step.error?.message ?? `The step “${step.title}” failed.`) : `${host} is ready for microVMs.`,
    });
  }

  const unsubscribe = deps.events.subscribe((event, payload) => {
    switch (event) {
      case 'vms.changed':
        return onVm(payload as VmSummary);
      case 'vms.removed': {
        const { hostId, id } = payload as { hostId: string; id: string };
        vmStates.delete(`${hostId}/${id}`);
        return;
      }
      case 'hosts.changed':
        return onHost(payload as HostSummary);
      case 'hosts.removed': {
        const { id } = payload as { id: string };
        hostStates.delete(id);
        hostLabels.delete(id);
        lostHosts.delete(id);
        return;
      }
      case 'wizard.stepProgressed':
        return onWizard(payload as { hostId: string; step: SetupStepState; running: boolean });
      case 'tasks.finished':
        return onTask(payload as TaskFinishedEvent);
    }
  });

  return {
    list: () => [...items.values()],
    dismiss,
    viewShown(view, visible, caller) {
      if (!views.has(caller.ownerId)) {
        deps.resources.add(caller.ownerId, 'view-presence', { close: () => views.delete(caller.ownerId) });
      }
      views.set(caller.ownerId, { view, visible });
    },
    close() {
      unsubscribe();
    },
  };
}
