import type { FiredeckApi } from '../api';
import type { AppStore } from './store';

/**
 * The one place main-process events enter the store. After a reconnect everything is reloaded,
 * because events sent while the connection was down are lost.
 */
export function subscribeToBackend(store: AppStore, api: FiredeckApi): () => void {
  const reload = () => {
    const { app, settings, hosts } = store.getState();
    void app.load().catch(() => {});
    void settings.load().catch(() => {});
    void hosts.load().catch(() => {});
    void store.getState().workspaces.load().catch(() => {});
    void store.getState().vms.load();
    void store.getState().notifications.load().catch(() => {});
  };
  const unsubscribers = [
    api.on('settings.changed', (settings) => store.getState().settings.applyRemote(settings)),
    api.on('app.noticeRaised', (notice) => store.getState().app.addNotice(notice)),
    api.on('hosts.removed', ({ id }) => store.getState().hosts.applyRemoved(id)),
    api.on('vms.changed', (vm) => store.getState().vms.applyChanged(vm)),
    api.on('vms.removed', ({ hostId, id }) => store.getState().vms.applyRemoved(hostId, id)),
    api.on('vms.stepProgressed', ({ step, status }) => store.getState().vms.applyStep(step, status)),
    api.on('hosts.changed', (host) => {
      // A host that just connected brings its microVMs with it; probes and other updates of a
      // connected host do not need a new list (the backend pushes VM changes itself).
      const before = store.getState().hosts.byId[host.id]?.connection.state;
      if (host.connection.state === 'connected' && before !== 'connected') void store.getState().vms.load();
    }),
    api.on('hosts.changed', (host) => store.getState().hosts.applyChanged(host)),
    api.on('jail.swept', ({ hostId, vmIds }) => store.getState().jail.applySwept(hostId, vmIds)),
    api.on('guest.forwardsChanged', ({ hostId, id, forwards }) => store.getState().guest.applyForwards({ hostId, id }, forwards)),
    api.on('metrics.sampled', (sample) => store.getState().metrics.applySample(sample)),
    api.on('notifications.raised', (n) => store.getState().notifications.applyRaised(n)),
    api.on('notifications.dismissed', ({ id }) => store.getState().notifications.applyDismissed(id)),
    api.on('wizard.stepProgressed', ({ hostId, step, running }) => store.getState().wizard.applyStep(hostId, step, running)),
    api.on('transfers.progressed', ({ transferId, sent, total }) => {
      store.getState().workspaces.applyProgress(transferId, sent, total);
      store.getState().images.applyProgress(transferId, sent, total);
      store.getState().guest.applyProgress(transferId, sent, total);
    }),
    api.onStatus((status) => {
      store.getState().connection.setStatus(status);
      if (status.state === 'connected') reload();
    }),
  ];
  if (api.status().state === 'connected') reload();
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}
