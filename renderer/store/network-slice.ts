import type { HostNetworks, NetworkHelperStatus, NetworkHelperText, PoolCheck } from '../../shared/channels/network';
import type { AppErrorShape } from '../../shared/errors';
import { toFiredeckError } from '../api/firedeck-error';
import { patchSlice } from './slice';
import type { SliceContext } from './slice';

export type HelperAction = 'install' | 'uninstall';

/** The network helper and the VM networks of each host, for the wizard's helper step and the host page. */
export interface NetworkSlice {
  helpers: Record<string, NetworkHelperText | undefined>;
  statuses: Record<string, NetworkHelperStatus | undefined>;
  lists: Record<string, HostNetworks | undefined>;
  busy: Record<string, HelperAction | 'loading' | undefined>;
  errors: Record<string, AppErrorShape | undefined>;
  /** The helper's text and status (the wizard step shows both before installing). */
  loadHelper(hostId: string): Promise<void>;
  /** The host's VM networks and helper status (the host page). */
  loadList(hostId: string): Promise<void>;
  /** Installs or uninstalls; a sudo password only when sudo asked for one. */
  run(hostId: string, action: HelperAction, sudo?: { password: string; remember: boolean }): Promise<void>;
  checkPool(pool: string): Promise<PoolCheck | { error: AppErrorShape }>;
}

export function createNetworkSlice(ctx: SliceContext): NetworkSlice {
  const slice = () => ctx.get().network;
  const patch = (changes: Partial<NetworkSlice>) => patchSlice(ctx, 'network', changes);
  const setFor = <K extends 'helpers' | 'statuses' | 'lists' | 'busy' | 'errors'>(key: K, hostId: string, value: NetworkSlice[K][string]) =>
    patch({ [key]: { ...slice()[key], [hostId]: value } } as Partial<NetworkSlice>);
  const failed = (hostId: string, caught: unknown) => setFor('errors', hostId, toFiredeckError(caught).shape());

  return {
    helpers: {},
    statuses: {},
    lists: {},
    busy: {},
    errors: {},
    async loadHelper(hostId) {
      try {
        const [helper, status] = await Promise.all([ctx.api.invoke('network.helper', { hostId }), ctx.api.invoke('network.status', { hostId })]);
        setFor('helpers', hostId, helper);
        setFor('statuses', hostId, status);
      } catch (caught) {
        failed(hostId, caught);
      }
    },
    async loadList(hostId) {
      try {
        const list = await ctx.api.invoke('network.list', { hostId });
        setFor('lists', hostId, list);
        setFor('statuses', hostId, list.helper);
      } catch (caught) {
        failed(hostId, caught);
      }
    },
    async run(hostId, action, sudo) {
      setFor('busy', hostId, action);
      setFor('errors', hostId, undefined);
      try {
        const input = { hostId, ...(sudo ? { sudoPassword: sudo.password, remember: sudo.remember } : {}) };
        const status = await ctx.api.invoke(action === 'install' ? 'network.install' : 'network.uninstall', input);
        setFor('statuses', hostId, status);
        if (slice().lists[hostId]) await slice().loadList(hostId);
      } catch (caught) {
        failed(hostId, caught);
      } finally {
        setFor('busy', hostId, undefined);
      }
    },
    async checkPool(pool) {
      try {
        return await ctx.api.invoke('network.checkPool', { pool });
      } catch (caught) {
        return { error: toFiredeckError(caught).shape() };
      }
    },
  };
}

/** Whether the last failure means sudo wants a password typed in the app. */
export function needsSudoPassword(error: AppErrorShape | undefined): boolean {
  return error?.code === 'SUDO_REQUIRED' || error?.code === 'SUDO_PASSWORD_WRONG';
}
