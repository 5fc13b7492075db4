import { patchSlice } from './slice';
import type { SliceContext } from './slice';

export const views = ['hosts', 'vms', 'images', 'workspaces', 'settings'] as const;
export type ViewId = (typeof views)[number];

export interface UiSlice {
  view: ViewId;
  navigate(view: ViewId): void;
}

export function createUiSlice(ctx: SliceContext, initial: ViewId): UiSlice {
  return {
    view: initial,
    navigate: (view) => patchSlice(ctx, 'ui', { view }),
  };
}

/** `#/vms` → 'vms'; anything else → the Hosts view, where a new user starts. */
export function viewFromHash(hash: string): ViewId {
  const name = hash.replace(/^#\/?/, '');
  return (views as readonly string[]).includes(name) ? (name as ViewId) : 'hosts';
}
