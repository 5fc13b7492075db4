import type { HostJails } from '../../shared/channels/jail';
import type { AppErrorShape } from '../../shared/errors';
import { toFiredeckError } from '../api/firedeck-error';
import { patchSlice } from './slice';
import type { SliceContext } from './slice';

/** The microVM jails of each host, as the host page lists them. */
export interface JailSlice {
  lists: Record<string, HostJails | undefined>;
  errors: Record<string, AppErrorShape | undefined>;
  /** What was swept on each host at its last connect (jails whose run directory was gone). */
  swept: Record<string, string[] | undefined>;
  load(hostId: string): Promise<void>;
  applySwept(hostId: string, vmIds: string[]): void;
}

export function createJailSlice(ctx: SliceContext): JailSlice {
  const slice = () => ctx.get().jail;
  const setFor = <K extends 'lists' | 'errors' | 'swept'>(key: K, hostId: string, value: JailSlice[K][string]) =>
    patchSlice(ctx, 'jail', { [key]: { ...slice()[key], [hostId]: value } } as Partial<JailSlice>);
  return {
    lists: {},
    errors: {},
    swept: {},
    async load(hostId) {
      try {
        setFor('lists', hostId, await ctx.api.invoke('jail.list', { hostId }));
        setFor('errors', hostId, undefined);
      } catch (caught) {
        setFor('errors', hostId, toFiredeckError(caught).shape());
      }
    },
    applySwept(hostId, vmIds) {
      setFor('swept', hostId, vmIds);
      if (slice().lists[hostId]) void slice().load(hostId);
    },
  };
}
