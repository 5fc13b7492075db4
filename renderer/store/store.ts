import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { FiredeckApi } from '../api';
import { createAppSlice } from './app-slice';
import { createConnectionSlice } from './connection-slice';
import { createGuestSlice } from './guest-slice';
import { createHostsSlice } from './hosts-slice';
import { createImagesSlice } from './images-slice';
import { createJailSlice } from './jail-slice';
import { createMetricsSlice } from './metrics-slice';
import { createNetworkSlice } from './network-slice';
import { createNotificationsSlice } from './notifications-slice';
import { createSettingsSlice } from './settings-slice';
import type { AppState } from './slice';
import { createUiSlice } from './ui-slice';
import type { ViewId } from './ui-slice';
import { createVmsSlice } from './vms-slice';
import { createWizardSlice } from './wizard-slice';
import { createWorkspacesSlice } from './workspaces-slice';

export type AppStore = StoreApi<AppState>;

/** Built per app (and per test) with the API it should talk to; there is no global store. */
export function createAppStore(api: FiredeckApi, options: { initialView?: ViewId } = {}): AppStore {
  return createStore<AppState>()((set, get) => {
    const ctx = { set, get, api };
    return {
      app: createAppSlice(ctx),
      connection: createConnectionSlice(ctx),
      guest: createGuestSlice(ctx),
      hosts: createHostsSlice(ctx),
      images: createImagesSlice(ctx),
      jail: createJailSlice(ctx),
      metrics: createMetricsSlice(ctx),
      network: createNetworkSlice(ctx),
      notifications: createNotificationsSlice(ctx),
      settings: createSettingsSlice(ctx),
      ui: createUiSlice(ctx, options.initialView ?? 'hosts'),
      workspaces: createWorkspacesSlice(ctx),
      vms: createVmsSlice(ctx),
      wizard: createWizardSlice(ctx),
    };
  });
}
