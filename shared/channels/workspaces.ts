import { z } from 'zod';
import { channel } from '../channel.js';
import { vmIdSchema } from '../ids.js';

/** A path inside a workspace, as the renderer names it; main resolves it through the workspace's FsJail. */
const workspacePath = z.string().max(4096, { message: 'The path is too long.' });

export { TEXT_FILE_LIMIT, UPLOAD_CHUNK_BYTES } from '../limits.js';
import { TEXT_FILE_LIMIT, UPLOAD_CHUNK_BYTES } from '../limits.js';

export interface WorkspaceSummary {
  id: string;
  createdAt: string;
}

export interface WorkspaceEntry {
  name: string;
  /** Path from the workspace root, with `/` separators. */
  path: string;
  kind: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  modifiedAt: string;
}

export interface PushResult {
  remotePath: string;
  bytes: number;
  sha256: string;
  /** How the bytes travelled: SFTP, or an SSH exec channel where the host's SFTP cannot start. */
  via: 'sftp' | 'ssh-exec';
  /** Why SFTP was not used (only with `ssh-exec`), for the user to fix if they want SFTP back. */
  sftpProblem?: string;
}

const ws = { workspaceId: vmIdSchema };

export const workspacesChannels = {
  'workspaces.list': channel<WorkspaceSummary[]>()(z.undefined()),
  'workspaces.create': channel<WorkspaceSummary>()(z.object({ id: vmIdSchema }).strict()),
  'workspaces.remove': channel<{ removed: boolean }>()(z.object({ id: vmIdSchema }).strict()),
  'workspaces.listFiles': channel<WorkspaceEntry[]>()(z.object({ ...ws, dir: workspacePath.default('') }).strict()),
  'workspaces.readFile': channel<{ content: string; size: number }>()(z.object({ ...ws, path: workspacePath }).strict()),
  'workspaces.writeFile': channel<WorkspaceEntry>()(
    z.object({ ...ws, path: workspacePath, content: z.string().max(TEXT_FILE_LIMIT, { message: 'The text is larger than 1 MiB; edit it in another editor.' }) }).strict(),
  ),
  'workspaces.createFolder': channel<WorkspaceEntry>()(z.object({ ...ws, path: workspacePath }).strict()),
  'workspaces.rename': channel<WorkspaceEntry>()(z.object({ ...ws, from: workspacePath, to: workspacePath }).strict()),
  'workspaces.delete': channel<{ deleted: boolean }>()(z.object({ ...ws, path: workspacePath }).strict()),
  /** One chunk of a dropped file, written in order; the file appears under its name only when `done`. */
  'workspaces.uploadChunk': channel<{ received: number }>()(
    z
      .object({
        ...ws,
        uploadId: z.string().uuid(),
        path: workspacePath,
        offset: z.number().int().nonnegative(),
        data: z.string().max(Math.ceil(UPLOAD_CHUNK_BYTES / 3) * 4, { message: 'The chunk is too large.' }),
        done: z.boolean(),
      })
      .strict(),
  ),
  /** Copies a workspace file to the host; progress arrives as `transfers.progressed`, `transfers.cancel` stops it. */
  'workspaces.push': channel<PushResult>()(z.object({ ...ws, path: workspacePath, hostId: z.string().uuid(), transferId: z.string().uuid() }).strict()),
};
