import { IMPORTS_WORKSPACE } from '../../shared/limits';
import type { CatalogImage, HostImages } from '../../shared/channels/images';
import type { AppErrorShape } from '../../shared/errors';
import { toFiredeckError } from '../api/firedeck-error';
import { patchSlice } from './slice';
import type { SliceContext } from './slice';
import { uploadToWorkspace } from './upload';

export interface ImportState {
  name: string;
  stage: 'copying' | 'uploading' | 'done' | 'failed';
  sent: number;
  total: number;
  /** Said once it is installed, e.g. that it went through an exec channel because SFTP could not start. */
  note?: string;
  error?: AppErrorShape;
}

export interface ImagesSlice {
  /** Installed images per host (the host's own architecture only). */
  installed: Record<string, HostImages | undefined>;
  errors: Record<string, AppErrorShape | undefined>;
  /** The image bucket's listing per host (both architectures, marked by what fits). */
  catalogs: Record<string, CatalogImage[] | undefined>;
  catalogErrors: Record<string, AppErrorShape | undefined>;
  imports: Record<string, ImportState>;
  loadInstalled(hostId: string): Promise<void>;
  loadCatalog(hostId: string): Promise<void>;
  /** Copies a local kernel or ext4 file here, then sends it to the host's image folder. */
  importFile(hostId: string, file: File): Promise<void>;
  applyProgress(transferId: string, sent: number, total: number): void;
  cancelImport(transferId: string): Promise<void>;
}

export function createImagesSlice(ctx: SliceContext): ImagesSlice {
  const slice = () => ctx.get().images;
  const patch = (changes: Partial<ImagesSlice>) => patchSlice(ctx, 'images', changes);
  const setImport = (id: string, changes: Partial<ImportState>) => patch({ imports: { ...slice().imports, [id]: { ...slice().imports[id]!, ...changes } } });
  return {
    installed: {},
    errors: {},
    catalogs: {},
    catalogErrors: {},
    imports: {},
    async loadInstalled(hostId) {
      try {
        patch({ installed: { ...slice().installed, [hostId]: await ctx.api.invoke('images.listInstalled', { hostId }) }, errors: { ...slice().errors, [hostId]: undefined } });
      } catch (caught) {
        const error = toFiredeckError(caught);
        patch({ errors: { ...slice().errors, [hostId]: error.shape() } });
      }
    },
    async loadCatalog(hostId) {
      try {
        patch({ catalogs: { ...slice().catalogs, [hostId]: await ctx.api.invoke('images.catalog', { hostId }) }, catalogErrors: { ...slice().catalogErrors, [hostId]: undefined } });
      } catch (caught) {
        patch({ catalogErrors: { ...slice().catalogErrors, [hostId]: toFiredeckError(caught).shape() } });
      }
    },
    async importFile(hostId, file) {
      const transferId = crypto.randomUUID();
      patch({ imports: { ...slice().imports, [transferId]: { name: file.name, stage: 'copying', sent: 0, total: file.size } } });
      try {
        await ctx.api.invoke('workspaces.create', { id: IMPORTS_WORKSPACE });
        await uploadToWorkspace(ctx.api, IMPORTS_WORKSPACE, file.name, file, (sent) => setImport(transferId, { sent }));
        setImport(transferId, { stage: 'uploading', sent: 0 });
        const image = await ctx.api.invoke('images.import', { hostId, workspaceId: IMPORTS_WORKSPACE, path: file.name, transferId });
        setImport(transferId, { stage: 'done', sent: file.size, ...(image.sftpProblem ? { note: `${image.sftpProblem} It was uploaded through an SSH exec channel instead.` } : {}) });
        await slice().loadInstalled(hostId);
      } catch (caught) {
        const error = toFiredeckError(caught);
        setImport(transferId, { stage: 'failed', error: error.shape() });
      }
    },
    async cancelImport(transferId) {
      await ctx.api.invoke('transfers.cancel', { transferId }).catch(() => {});
    },
    applyProgress(transferId, sent, total) {
      if (slice().imports[transferId]) setImport(transferId, { sent, total });
    },
  };
}
