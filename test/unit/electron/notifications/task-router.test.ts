import { describe, expect, it } from 'vitest';
import type { AppNotification } from '../../../../shared/channels/notifications';
import type { InvokeResult } from '../../../../shared/errors';
import { createResourceRegistry } from '../../../../electron/app/resources';
import { createEventBus } from '../../../../electron/event-bus';
import { createNotificationService } from '../../../../electron/notifications/notification-service';
import { taskNotifyingRouter } from '../../../../electron/notifications/task-router';
import type { Router } from '../../../../electron/router';

const hostId = '6f1c1f63-8b44-4bbf-9d0b-3f8a1f0b2a11';
const push = { workspaceId: 'ws1', path: 'build/app.tar', hostId, transferId: '0b7ae0a5-04a4-4b43-9a8e-38c8e0c6f0d2' };

function setup(answer: () => InvokeResult) {
  const events = createEventBus();
  const raised: AppNotification[] = [];
  events.subscribe((event, payload) => {
    if (event === 'notifications.raised') raised.push(payload as AppNotification);
  });
  const notifications = createNotificationService({ events, resources: createResourceRegistry() });
  const inner: Router = { handle: async () => answer() };
  const router = taskNotifyingRouter(inner, { events, hostLabel: (id) => (id === hostId ? 'build-01' : undefined) });
  return { router, notifications, raised };
}

describe('long tasks told when they end', () => {
  it('a push that ends while the window shows another view raises a notification, success or failure', async () => {
    let answer: InvokeResult = { ok: true, value: { sha256: 'x' } };
    const t = setup(() => answer);
    t.notifications.viewShown('vms', true, { ownerId: 'w1' });
    await t.router.handle('workspaces.push', push, { ownerId: 'w1' });
    answer = { ok: false, error: { code: 'SSH_CONNECTION_LOST', message: 'The SSH connection to build-01 dropped.' } };
    await t.router.handle('workspaces.push', push, { ownerId: 'w1' });
    expect(t.raised.map((n) => [n.kind, n.level, n.title, n.body, n.view])).toEqual([
      ['task-finished', 'info', 'Push of build/app.tar to build-01 finished', 'It finished.', 'workspaces'],
      ['task-finished', 'error', 'Push of build/app.tar to build-01 failed', 'The SSH connection to build-01 dropped.', 'workspaces'],
    ]);
  });

  it('says nothing while its view is on screen, after a cancel, or for requests that are not long tasks', async () => {
    let answer: InvokeResult = { ok: true, value: {} };
    const t = setup(() => answer);
    t.notifications.viewShown('workspaces', true, { ownerId: 'w1' });
    await t.router.handle('workspaces.push', push, { ownerId: 'w1' });
    t.notifications.viewShown('vms', true, { ownerId: 'w1' });
    await t.router.handle('hosts.list', undefined, { ownerId: 'w1' });
    answer = { ok: false, error: { code: 'CANCELLED', message: 'Cancelled.' } };
    await t.router.handle('workspaces.push', push, { ownerId: 'w1' });
    expect(t.raised).toEqual([]);
  });

  it('an image import ending out of sight is told too', async () => {
    const t = setup(() => ({ ok: true, value: {} }));
    await t.router.handle('images.import', { hostId, workspaceId: 'ws1', path: 'vmlinux-6.1', transferId: push.transferId }, { ownerId: 'w1' });
    expect(t.raised).toMatchObject([{ kind: 'task-finished', title: 'Import of vmlinux-6.1 to build-01 finished', view: 'images' }]);
  });
});
