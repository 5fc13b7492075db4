import { describe, expect, it } from 'vitest';
import type { HostSummary } from '../../../../shared/channels/hosts';
import type { AppNotification } from '../../../../shared/channels/notifications';
import type { VmSummary } from '../../../../shared/channels/vms';
import { createResourceRegistry } from '../../../../electron/app/resources';
import { createEventBus } from '../../../../electron/event-bus';
import { createNotificationService } from '../../../../electron/notifications/notification-service';
import { createOsNotifier } from '../../../../electron/notifications/os-notifier';

function setup(options: { max?: number } = {}) {
  const events = createEventBus();
  const resources = createResourceRegistry();
  const shownByOs: { title: string; body: string }[] = [];
  const raised: AppNotification[] = [];
  events.subscribe((event, payload) => {
    if (event === 'notifications.raised') raised.push(payload as AppNotification);
  });
  const service = createNotificationService({ events, resources, notifier: { show: (n) => shownByOs.push(n) }, ...options });
  return { events, resources, service, raised, shownByOs };
}

const vm = (state: VmSummary['state'], extra: Partial<VmSummary> = {}): VmSummary => ({ hostId: 'h1', id: 'web', state, vcpus: 1, memoryMib: 128, kernel: '/k', rootfs: '/r', ...extra });
const host = (connection: HostSummary['connection']): HostSummary => ({ id: 'h1', label: 'build-01', connection } as HostSummary);
const lost = { state: 'reconnecting' as const, attempt: 1, retryAt: '', error: { code: 'SSH_CONNECTION_LOST' as const, message: 'The SSH connection dropped.' } };

describe('notification service', () => {
  it('tells of a VM that exited while it was running, with its last console lines, and not of one found exited', () => {
    const t = setup();
    t.events.emit('vms.changed', vm('exited', { id: 'old', lastLog: ['x'] }));
    t.events.emit('vms.changed', vm('running'));
    t.events.emit('vms.changed', vm('exited', { lastLog: Array.from({ length: 15 }, (_, i) => `line ${i + 1}`) }));
    expect(t.raised).toHaveLength(1);
    expect(t.raised[0]).toMatchObject({ kind: 'vm-exited', level: 'error', vmId: 'web', hostId: 'h1', view: 'vms' });
    expect(t.raised[0]!.lines).toEqual(Array.from({ length: 10 }, (_, i) => `line ${i + 6}`));
    // A stop the user asked for is no news.
    t.events.emit('vms.changed', vm('running', { id: 'calm' }));
    t.events.emit('vms.changed', vm('stopped', { id: 'calm' }));
    expect(t.raised).toHaveLength(1);
    expect(t.service.list()).toHaveLength(1);
  });

  it('tells of a host lost and back, but not of a disconnect the user asked for', () => {
    const t = setup();
    t.events.emit('hosts.changed', host({ state: 'connected', since: '' }));
    t.events.emit('hosts.changed', host(lost));
    t.events.emit('hosts.changed', host({ state: 'connected', since: '' }));
    t.events.emit('hosts.changed', host({ state: 'disconnected' }));
    t.events.emit('hosts.changed', host({ state: 'connected', since: '' }));
    expect(t.raised.map((n) => n.kind)).toEqual(['host-lost', 'host-back']);
    expect(t.raised[0]!.body).toContain('The SSH connection dropped.');
    // Once it is back, "unreachable" is gone from the list; "back" stays.
    expect(t.service.list().map((n) => n.kind)).toEqual(['host-back']);
  });

  it('tells of a task that ended only when no window shows its view; OS notifications only when no window is on screen', () => {
    const t = setup();
    t.service.viewShown('workspaces', true, { ownerId: 'w1' });
    t.events.emit('tasks.finished', { task: 'push', view: 'workspaces', title: 'Push finished', ok: true });
    expect(t.raised).toHaveLength(0);
    t.service.viewShown('vms', true, { ownerId: 'w1' });
    t.events.emit('tasks.finished', { task: 'push', view: 'workspaces', title: 'Push finished', ok: true });
    expect(t.raised).toHaveLength(1);
    expect(t.shownByOs).toHaveLength(0); // the window is on screen: the in-app toast is enough
    t.service.viewShown('vms', false, { ownerId: 'w1' });
    t.events.emit('tasks.finished', { task: 'sync', view: 'workspaces', title: 'Sync failed', ok: false, message: 'The host went away.' });
    expect(t.raised[1]).toMatchObject({ level: 'error', body: 'The host went away.' });
    expect(t.shownByOs).toEqual([{ title: 'Sync failed', body: 'The host went away.' }]);
    // The window's going away forgets what it showed.
    t.service.viewShown('workspaces', true, { ownerId: 'w2' });
    t.resources.releaseOwner('w2');
    t.events.emit('tasks.finished', { task: 'push', view: 'workspaces', title: 'Push finished', ok: true });
    expect(t.raised).toHaveLength(3);
  });

  it('turns the end of a wizard run into a task notification', () => {
    const t = setup();
    t.events.emit('hosts.changed', host({ state: 'connected', since: '' }));
    const step = { name: 'firecracker', title: 'Install Firecracker', status: 'done', commands: [] } as never;
    t.events.emit('wizard.stepProgressed', { hostId: 'h1', step, running: true });
    t.events.emit('wizard.stepProgressed', { hostId: 'h1', step, running: false });
    expect(t.raised).toHaveLength(1);
    expect(t.raised[0]).toMatchObject({ kind: 'task-finished', title: 'Setup of build-01 finished', view: 'hosts' });
  });

  it('keeps a bounded list, and dismisses by id', () => {
    const t = setup({ max: 3 });
    for (let i = 0; i < 10; i++) t.events.emit('tasks.finished', { task: 'push', view: 'workspaces', title: `push ${i}`, ok: true });
    expect(t.service.list().map((n) => n.title)).toEqual(['push 7', 'push 8', 'push 9']);
    const dismissed: string[] = [];
    t.events.subscribe((event, payload) => event === 'notifications.dismissed' && dismissed.push((payload as { id: string }).id));
    const id = t.service.list()[0]!.id;
    expect(t.service.dismiss(id)).toBe(true);
    expect(t.service.dismiss(id)).toBe(false);
    expect(dismissed).toEqual([id]);
  });
});

describe('OS notifier', () => {
  it('shows through the Notification class it is given, and nothing where the OS has none', () => {
    const shown: { title: string; body: string }[] = [];
    let supported = true;
    class FakeNotification {
      static isSupported = () => supported;
      constructor(private readonly options: { title: string; body: string }) {}
      show() {
        shown.push(this.options);
      }
    }
    const notifier = createOsNotifier(FakeNotification);
    notifier.show({ title: 'a', body: 'x'.repeat(400) });
    supported = false;
    notifier.show({ title: 'b', body: 'y' });
    expect(shown).toHaveLength(1);
    expect(shown[0]!.body.length).toBe(300);
  });
});
