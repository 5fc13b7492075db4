import type { diagnosticsChannels } from '../../shared/channels/diagnostics.js';
import type { HostSummary } from '../../shared/channels/hosts.js';
import type { RoutesOf } from '../router.js';
import type { AppLog } from './app-log.js';
import { diagnosticsText } from './diagnostics.js';

export function createDiagnosticsRoutes(deps: {
  log: AppLog;
  info: { version: string; mode: 'electron' | 'browser'; platform: string };
  hosts(): HostSummary[];
  home?: string;
  /** Shows a file in the system's file manager (Electron: shell.showItemInFolder); absent in browser mode. */
  revealPath?: (path: string) => void;
}): RoutesOf<typeof diagnosticsChannels> {
  return {
    'app.diagnostics': () => ({
      text: diagnosticsText({ ...deps.info, hosts: deps.hosts(), log: deps.log, ...(deps.home ? { home: deps.home } : {}) }),
      logPath: deps.log.path,
    }),
    'app.revealLogs': () => {
      if (!deps.revealPath) return { path: deps.log.path, revealed: false };
      deps.revealPath(deps.log.path);
      return { path: deps.log.path, revealed: true };
    },
  };
}
