import { z } from 'zod';
import { channel } from '../channel.js';

/** Something main wants the user to know about that is not the answer to a request. */
export interface Notice {
  id: string;
  level: 'info' | 'warning' | 'error';
  message: string;
  remedy?: string;
}

export interface AppInfo {
  name: string;
  version: string;
  /** `electron` for the desktop app, `browser` for `npm run web`. */
  mode: 'electron' | 'browser';
  /** Operating system the backend runs on (`darwin`, `linux`, …). */
  platform: string;
  /** Where hosts, settings and trusted keys are kept, shown in Settings so users can back it up. */
  dataDir: string;
  /** Passwords can be remembered, encrypted by the OS (desktop app only). */
  canRememberSecrets: boolean;
  notices: Notice[];
}

export const appChannels = {
  'app.getInfo': channel<AppInfo>()(z.undefined()),
  'app.dismissNotice': channel<{ dismissed: boolean }>()(
    z.object({ id: z.string().min(1).max(128) }).strict(),
  ),
};
