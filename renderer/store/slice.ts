import type { StoreApi } from 'zustand/vanilla';
import type { FiredeckApi } from '../api';
import type { AppSlice } from './app-slice';
import type { ConnectionSlice } from './connection-slice';
import type { GuestSlice } from './guest-slice';
import type { HostsSlice } from './hosts-slice';
import type { ImagesSlice } from './images-slice';
import type { MetricsSlice } from './metrics-slice';
import type { JailSlice } from './jail-slice';
import type { NetworkSlice } from './network-slice';
import type { NotificationsSlice } from './notifications-slice';
import type { SettingsSlice } from './settings-slice';
import type { UiSlice } from './ui-slice';
import type { VmsSlice } from './vms-slice';
import type { WizardSlice } from './wizard-slice';
import type { WorkspacesSlice } from './workspaces-slice';

/** The combined state: one namespaced key per slice (`s.settings.value`, `s.connection.status`). */
export interface AppState {
  app: AppSlice;
  connection: ConnectionSlice;
  guest: GuestSlice;
  hosts: HostsSlice;
  images: ImagesSlice;
  metrics: MetricsSlice;
  jail: JailSlice;
  network: NetworkSlice;
  notifications: NotificationsSlice;
  settings: SettingsSlice;
  ui: UiSlice;
  vms: VmsSlice;
  wizard: WizardSlice;
  workspaces: WorkspacesSlice;
}

export type SliceKey = keyof AppState;

export interface SliceContext {
  set: StoreApi<AppState>['setState'];
  get: StoreApi<AppState>['getState'];
  api: FiredeckApi;
}

/** Merges `changes` into one slice; actions use it so a slice never overwrites another. */
export function patchSlice<K extends SliceKey>(ctx: SliceContext, key: K, changes: Partial<AppState[K]>): void {
  ctx.set((state) => ({ [key]: { ...state[key], ...changes } }) as Pick<AppState, K>);
}
