import type { PushResult, WorkspaceEntry, WorkspaceSummary } from '../../shared/channels/workspaces';
import type { AppErrorShape } from '../../shared/errors';
import { code } from '../../shared/error-codes';
import { toFiredeckError } from '../api/firedeck-error';
import { patchSlice } from './slice';
import { uploadToWorkspace } from './upload';
import type { SliceContext } from './slice';

export interface OpenFile {
  path: string;
  content: string;
  saved: string;
  saving: boolean;
}

export interface Transfer {
  transferId: string;
  path: string;
  hostId: string;
  sent: number;
  total: number;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  result?: PushResult;
  error?: AppErrorShape;
}

export interface Upload {
  name: string;
  sent: number;
  total: number;
}

export interface WorkspacesSlice {
  list: WorkspaceSummary[];
  selectedId?: string;
  dir: string;
  entries: WorkspaceEntry[];
  /** The file last chosen in the list: the one Push sends, text or not (only a text file opens in the editor as `openFile`). */
  selectedPath?: string;
  openFile?: OpenFile;
  /** The last failure, shown above the file browser. */
  error?: AppErrorShape;
  uploads: Record<string, Upload>;
  transfers: Record<string, Transfer>;
  load(): Promise<void>;
  create(id: string): Promise<{ ok: boolean; message?: string }>;
  remove(id: string): Promise<void>;
  select(id: string | undefined): Promise<void>;
  openDir(dir: string): Promise<void>;
  open(path: string): Promise<void>;
  edit(content: string): void;
  closeFile(): void;
  save(): Promise<void>;
  createFile(name: string): Promise<void>;
  createFolder(name: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  delete(path: string): Promise<void>;
  upload(files: File[]): Promise<void>;
  push(path: string, hostId: string): Promise<void>;
  cancelPush(transferId: string): Promise<void>;
  applyProgress(transferId: string, sent: number, total: number): void;
  dismissError(): void;
}

/** `dir` + `name` as a workspace path (`/` separators, no leading slash). */
export function joinPath(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

export function createWorkspacesSlice(ctx: SliceContext): WorkspacesSlice {
  const slice = () => ctx.get().workspaces;
  const patch = (changes: Partial<WorkspacesSlice>) => patchSlice(ctx, 'workspaces', changes);
  const fail = (caught: unknown) => {
    const error = toFiredeckError(caught);
    patch({ error: error.shape() });
  };
  /** Runs a file action on the selected workspace and refreshes the listing. */
  async function act(work: (workspaceId: string) => Promise<unknown>) {
    const id = slice().selectedId;
    if (!id) return;
    patch({ error: undefined });
    try {
      await work(id);
    } catch (caught) {
      fail(caught);
    }
    await refresh();
  }
  async function refresh() {
    const { selectedId, dir } = slice();
    if (!selectedId) return;
    try {
      patch({ entries: await ctx.api.invoke('workspaces.listFiles', { workspaceId: selectedId, dir }) });
    } catch (caught) {
      fail(caught);
    }
  }
  const setTransfer = (transferId: string, changes: Partial<Transfer>) => {
    const current = slice().transfers[transferId];
    if (current) patch({ transfers: { ...slice().transfers, [transferId]: { ...current, ...changes } } });
  };

  return {
    list: [],
    dir: '',
    entries: [],
    uploads: {},
    transfers: {},
    async load() {
      patch({ list: await ctx.api.invoke('workspaces.list') });
    },
    async create(id) {
      try {
        await ctx.api.invoke('workspaces.create', { id });
        await slice().load();
        await slice().select(id);
        return { ok: true };
      } catch (caught) {
        const error = toFiredeckError(caught);
        return { ok: false, message: error.fieldErrors().id ?? error.message };
      }
    },
    async remove(id) {
      try {
        await ctx.api.invoke('workspaces.remove', { id });
        if (slice().selectedId === id) patch({ selectedId: undefined, entries: [], selectedPath: undefined, openFile: undefined });
        await slice().load();
      } catch (caught) {
        fail(caught);
      }
    },
    async select(id) {
      patch({ selectedId: id, dir: '', entries: [], selectedPath: undefined, openFile: undefined, error: undefined });
      await refresh();
    },
    async openDir(dir) {
      patch({ dir, selectedPath: undefined, openFile: undefined });
      await refresh();
    },
    open: (path) =>
      act(async (workspaceId) => {
        patch({ selectedPath: path });
        try {
          const file = await ctx.api.invoke('workspaces.readFile', { workspaceId, path });
          patch({ openFile: { path, content: file.content, saved: file.content, saving: false } });
        } catch (caught) {
          // A binary or large file stays chosen (it can still be pushed); the editor lets go of
          // the previous file so it does not pass for this one.
          patch({ openFile: undefined });
          throw caught;
        }
      }),
    edit(content) {
      const file = slice().openFile;
      if (file) patch({ openFile: { ...file, content } });
    },
    closeFile: () => patch({ selectedPath: undefined, openFile: undefined }),
    save: () =>
      act(async (workspaceId) => {
        const file = slice().openFile;
        if (!file) return;
        patch({ openFile: { ...file, saving: true } });
        try {
          await ctx.api.invoke('workspaces.writeFile', { workspaceId, path: file.path, content: file.content });
          patch({ openFile: { ...file, saved: file.content, saving: false } });
        } catch (caught) {
          patch({ openFile: { ...file, saving: false } });
          throw caught;
        }
      }),
    createFile: (name) =>
      act(async (workspaceId) => {
        const path = joinPath(slice().dir, name);
        await ctx.api.invoke('workspaces.writeFile', { workspaceId, path, content: '' });
        patch({ selectedPath: path, openFile: { path, content: '', saved: '', saving: false } });
      }),
    createFolder: (name) => act((workspaceId) => ctx.api.invoke('workspaces.createFolder', { workspaceId, path: joinPath(slice().dir, name) })),
    rename: (from, to) => act((workspaceId) => ctx.api.invoke('workspaces.rename', { workspaceId, from, to })),
    delete: (path) =>
      act(async (workspaceId) => {
        await ctx.api.invoke('workspaces.delete', { workspaceId, path });
        if (slice().selectedPath === path) patch({ selectedPath: undefined, openFile: undefined });
      }),
    upload: (files) =>
      act(async (workspaceId) => {
        for (const file of files) {
          const key = crypto.randomUUID();
          const setUpload = (sent: number) => patch({ uploads: { ...slice().uploads, [key]: { name: file.name, sent, total: file.size } } });
          setUpload(0);
          try {
            await uploadToWorkspace(ctx.api, workspaceId, joinPath(slice().dir, file.name), file, setUpload);
          } finally {
            const { [key]: _finished, ...rest } = slice().uploads;
            patch({ uploads: rest });
          }
        }
      }),
    async push(path, hostId) {
      const workspaceId = slice().selectedId;
      if (!workspaceId) return;
      const transferId = crypto.randomUUID();
      patch({ transfers: { ...slice().transfers, [transferId]: { transferId, path, hostId, sent: 0, total: 0, state: 'running' } } });
      try {
        const result = await ctx.api.invoke('workspaces.push', { workspaceId, path, hostId, transferId });
        setTransfer(transferId, { state: 'done', result, sent: result.bytes, total: result.bytes });
      } catch (caught) {
        const error = toFiredeckError(caught);
        setTransfer(transferId, { state: error.code === code.CANCELLED ? 'cancelled' : 'failed', error: error.shape() });
      }
    },
    async cancelPush(transferId) {
      await ctx.api.invoke('transfers.cancel', { transferId }).catch(fail);
    },
    applyProgress: (transferId, sent, total) => setTransfer(transferId, { sent, total }),
    dismissError: () => patch({ error: undefined }),
  };
}
