import type { AppInfo, Notice } from '../../shared/channels/app';
import { patchSlice } from './slice';
import type { SliceContext } from './slice';

export interface AppSlice {
  info?: AppInfo;
  notices: Notice[];
  load(): Promise<void>;
  addNotice(notice: Notice): void;
  dismissNotice(id: string): Promise<void>;
  /** Shows the log folder in the file manager where main can; always answers its path. */
  revealLogs(): Promise<{ path: string; revealed: boolean }>;
  /** The bug-report text: version, OS, hosts' probe summaries, the last errors; no secrets. */
  diagnostics(): Promise<string>;
}

export function createAppSlice(ctx: SliceContext): AppSlice {
  return {
    notices: [],
    async load() {
      const info = await ctx.api.invoke('app.getInfo');
      patchSlice(ctx, 'app', { info, notices: info.notices });
    },
    addNotice(notice) {
      const notices = ctx.get().app.notices.filter((n) => n.id !== notice.id);
      patchSlice(ctx, 'app', { notices: [...notices, notice] });
    },
    async dismissNotice(id) {
      patchSlice(ctx, 'app', { notices: ctx.get().app.notices.filter((n) => n.id !== id) });
      await ctx.api.invoke('app.dismissNotice', { id });
    },
    revealLogs: () => ctx.api.invoke('app.revealLogs'),
    async diagnostics() {
      return (await ctx.api.invoke('app.diagnostics')).text;
    },
  };
}
