import { z } from 'zod';
import { channel } from '../channel.js';
import type { AppErrorShape } from '../errors.js';
import { vmIdSchema } from '../ids.js';

const hostId = z.string().uuid({ message: 'Unknown host id.' });
const vmRef = { hostId, id: vmIdSchema };
const sessionId = z.string().uuid();
/** A path inside a workspace, resolved in main through the workspace's FsJail. */
const workspacePath = z.string().max(4096, { message: 'The path is too long.' });
/** An absolute path in the guest. */
const guestPath = z
  .string()
  .trim()
  .min(1, { message: 'Name a folder in the guest.' })
  .max(4096)
  .refine((p) => p.startsWith('/') && !p.includes('\0') && !p.includes('\n'), { message: 'A path in the guest starts with / and has no line breaks.' });
const port = z.number().int().min(1, { message: 'A port is 1 to 65535.' }).max(65535, { message: 'A port is 1 to 65535.' });
const termSize = { cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) };

/** Whether the guest's sshd answers, as a cheap probe (an SSH banner through the host) finds it. */
export interface GuestStatus {
  hostId: string;
  id: string;
  /**
   * `up`: an SSH banner came back (and `connected` when Firedeck holds a connection);
   * `down`: nothing accepts on the guest's port 22; `no-address`: the VM has no address the
   * host reaches; `unknown`: the host is not connected.
   */
  state: 'up' | 'down' | 'no-address' | 'unknown';
  connected: boolean;
  /** The SSH banner, e.g. `SSH-2.0-OpenSSH_9.2p1 Debian-2`. */
  banner?: string;
  /** The guest's address as the host reaches it, e.g. 10.231.0.6:22. */
  address?: string;
  /** The recorded host key (trust on first use). */
  hostKeyFingerprint?: string;
  problem?: AppErrorShape;
}

export interface GuestListeningPort {
  port: number;
  /** The address the guest listens on (0.0.0.0, 127.0.0.1, ::, …). */
  address: string;
}

export interface GuestForward {
  forwardId: string;
  hostId: string;
  id: string;
  guestPort: number;
  localPort: number;
  /** http://127.0.0.1:PORT/ */
  url: string;
  connections: number;
}

export interface GuestCopyResult {
  files: number;
  bytes: number;
  /** Where it landed: a guest path (in) or a workspace path (out). */
  destination: string;
}

export interface GuestSyncResult {
  /** Files sent because they were new or changed (size or modification time). */
  sent: string[];
  unchanged: number;
  bytes: number;
  /** Guest-only files deleted (only with `deleteExtraneous` and a plan from `guest.syncPreview`). */
  deleted: number;
  /** Planned paths the guest refused to delete at the last moment (gone, or now outside the folder). */
  skipped: number;
}

export interface GuestSyncPreview {
  /** Names this plan for one `guest.sync` from the same window, until `expiresAt`. */
  planId: string;
  /** ISO time after which the plan is refused (about 10 minutes after the preview). */
  expiresAt: string;
  /** Guest files, relative to the guest folder, that exist only in the guest and would be deleted. */
  toDelete: string[];
}

export interface GuestSshCommand {
  /** The guest's entry in Firedeck's ssh_config, e.g. `web-1.build-01.firedeck`. */
  alias: string;
  /** `ssh -F CONFIG ALIAS`: uses only Firedeck's ssh_config. */
  command: string;
  /** The same, spelled out: `ssh -i KEY -J USER@HOST:PORT root@ADDRESS` plus the recorded host key. */
  spelledOut: string;
  /** The app data folder's ssh_config (one entry per guest), for `Include` in ~/.ssh/config. */
  configPath: string;
  /** The guest key (0600, in the app data folder; the wizard made it there). */
  keyPath: string;
  includeLine: string;
}

export const guestChannels = {
  'guest.status': channel<GuestStatus>()(z.object(vmRef).strict()),
  /** Opens an SSH shell in the guest; output arrives as `guest.terminalOutput` events. */
  'guest.terminalOpen': channel<{ sessionId: string }>()(z.object({ ...vmRef, ...termSize }).strict()),
  'guest.terminalInput': channel<{ sent: number }>()(z.object({ sessionId, data: z.string().max(64 * 1024) }).strict()),
  'guest.terminalResize': channel<{ resized: boolean }>()(z.object({ sessionId, ...termSize }).strict()),
  'guest.terminalClose': channel<{ closed: boolean }>()(z.object({ sessionId }).strict()),
  /**
   * Runs one command in the guest under the id the window chose; output arrives as
   * `guest.execOutput`, the end as `guest.execExited`. Resolves once the command has started.
   */
  'guest.exec': channel<{ execId: string }>()(z.object({ ...vmRef, execId: sessionId, command: z.string().trim().min(1, { message: 'Type a command.' }).max(64 * 1024) }).strict()),
  'guest.execCancel': channel<{ cancelled: boolean }>()(z.object({ execId: sessionId }).strict()),
  /** Copies a workspace file or folder into a guest folder (progress: `transfers.progressed`; cancel: transfers.cancel). */
  'guest.copyIn': channel<GuestCopyResult>()(z.object({ ...vmRef, workspaceId: vmIdSchema, path: workspacePath, guestDir: guestPath, transferId: sessionId }).strict()),
  /** Copies a guest file or folder into a workspace folder. */
  'guest.copyOut': channel<GuestCopyResult>()(z.object({ ...vmRef, workspaceId: vmIdSchema, guestPath, dir: workspacePath.default(''), transferId: sessionId }).strict()),
  /** Which guest files a sync with `deleteExtraneous` would delete; the plan is single use, for this window, for ~10 minutes. */
  'guest.syncPreview': channel<GuestSyncPreview>()(z.object({ ...vmRef, workspaceId: vmIdSchema, path: workspacePath.default(''), guestDir: guestPath }).strict()),
  /**
   * One-way sync of a workspace folder into a guest folder: sends only new and changed files.
   * With `deleteExtraneous`, it also deletes what the preview `planId` listed (and nothing else).
   */
  'guest.sync': channel<GuestSyncResult>()(
    z
      .object({ ...vmRef, workspaceId: vmIdSchema, path: workspacePath.default(''), guestDir: guestPath, transferId: sessionId, deleteExtraneous: z.boolean().default(false), planId: sessionId.optional() })
      .strict()
      .refine((r) => !r.deleteExtraneous || r.planId !== undefined, { message: 'Deleting guest-only files needs the plan of a preview.', path: ['planId'] }),
  ),
  /** The TCP ports the guest listens on (`ss -ltn` in the guest), to suggest forwards. */
  'guest.listeningPorts': channel<GuestListeningPort[]>()(z.object(vmRef).strict()),
  /** Forwards a guest port to 127.0.0.1:localPort on this computer (default: the same number). */
  'guest.forwardAdd': channel<GuestForward>()(z.object({ ...vmRef, guestPort: port, localPort: port.optional() }).strict()),
  'guest.forwardList': channel<GuestForward[]>()(z.object(vmRef).strict()),
  'guest.forwardRemove': channel<{ removed: boolean }>()(z.object({ forwardId: sessionId }).strict()),
  'guest.sshCommand': channel<GuestSshCommand>()(z.object(vmRef).strict()),
  /** Forgets the guest's recorded host key (after the guest was rebuilt on purpose). */
  'guest.forgetHostKey': channel<{ forgotten: boolean }>()(z.object(vmRef).strict()),
};
