import { lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { PushResult, WorkspaceSummary } from '../../shared/channels/workspaces.js';
import { AppError } from '../app-error.js';
import type { HostConnection } from '../ssh/host-connection.js';
import type { TransferRegistry } from '../transfers/transfer-registry.js';
import { FsJail } from './fs-jail.js';
import { pushFile } from '../transfers/push-file.js';
import { createWorkspaceFiles } from './workspace-files.js';
import type { WorkspaceFiles } from './workspace-files.js';

/**
 * Local workspace folders, one per sandbox, under `<data>/workspaces/<id>`. The renderer names
 * files in them by path; each workspace has its own FsJail, and every escape attempt is
 * refused with a clear error and logged.
 */
export interface WorkspaceService {
  list(): Promise<WorkspaceSummary[]>;
  create(id: string): Promise<WorkspaceSummary>;
  remove(id: string): Promise<boolean>;
  files(id: string): Promise<WorkspaceFiles>;
  /** Copies a workspace file to the host as transfer `transferId` (progress and cancel: TransferRegistry). */
  push(request: { workspaceId: string; path: string; hostId: string; transferId: string }): Promise<PushResult>;
}

export function createWorkspaceService(deps: {
  dataDir: string;
  transfers: TransferRegistry;
  connection(hostId: string): HostConnection;
  log: Pick<Console, 'warn'>;
}): WorkspaceService {
  const root = join(deps.dataDir, 'workspaces');
  // Each workspace's jail is opened once; its root is canonicalised then.
  const opened = new Map<string, Promise<WorkspaceFiles>>();

  const summary = async (id: string): Promise<WorkspaceSummary> => ({ id, createdAt: (await lstat(join(root, id))).birthtime.toISOString() });

  function files(id: string): Promise<WorkspaceFiles> {
    let files = opened.get(id);
    if (!files) {
      files = (async () => {
        const info = await lstat(join(root, id)).catch(() => null);
        if (!info?.isDirectory()) throw new AppError('NOT_FOUND', `There is no workspace ${id}.`, { remedy: 'Create it first, or reload the list.' });
        const onEscape = (path: string) => deps.log.warn(`[firedeck] refused a path outside workspace ${id}: ${JSON.stringify(path)}`);
        return createWorkspaceFiles(await FsJail.open(join(root, id), { onEscape }));
      })();
      files.catch(() => opened.delete(id));
      opened.set(id, files);
    }
    return files;
  }

  return {
    async list() {
      await mkdir(root, { recursive: true, mode: 0o700 });
      const names = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
      return Promise.all(names.sort().map(summary));
    },
    async create(id) {
      await mkdir(root, { recursive: true, mode: 0o700 });
      try {
        await mkdir(join(root, id), { mode: 0o700 });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      return summary(id);
    },
    async remove(id) {
      opened.delete(id);
      if (!(await lstat(join(root, id)).catch(() => null))) return false;
      await rm(join(root, id), { recursive: true, force: true });
      return true;
    },
    files,
    async push({ workspaceId, path, hostId, transferId }) {
      const workspace = await files(workspaceId);
      const file = await workspace.realFile(path);
      const relativePath = relative(workspace.root, file.path).split(sep).join('/');
      const result = await deps.transfers.run(transferId, ({ signal, progress }) =>
        pushFile(deps.connection(hostId), {
          localPath: file.path,
          size: file.size,
          remoteRelative: `.firedeck/workspaces/${workspaceId}/${relativePath}`,
          transferId,
          signal,
          onProgress: progress,
          // Hashed in passing on both ends: the check costs no second read (npm run bench).
          prefer: 'ssh-exec',
        }),
      );
      return { ...result, bytes: file.size };
    },
  };
}

