import { z } from 'zod';
import { channel } from '../channel.js';

/** What "Copy diagnostics" puts on the clipboard: nothing secret, nothing that names the user's machines by address. */
export interface Diagnostics {
  /** Plain text for a bug report. */
  text: string;
  /** Where the log files are, on the computer running the backend. */
  logPath: string;
}

export const diagnosticsChannels = {
  'app.diagnostics': channel<Diagnostics>()(z.undefined()),
  /** Shows the log folder in the file manager (desktop app); in browser mode only tells where it is (`revealed: false`). */
  'app.revealLogs': channel<{ path: string; revealed: boolean }>()(z.undefined()),
};
