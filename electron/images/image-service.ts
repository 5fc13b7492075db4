import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import imageChecksumRecordSource from '../host-scripts/image-checksum-record.sh';
import imagesListSource from '../host-scripts/images-list.sh';
import type { Arch } from '../../shared/channels/hosts.js';
import type { CatalogImage, HostImages, InstalledImage } from '../../shared/channels/images.js';
import { AppError } from '../app-error.js';
import type { HostService } from '../hosts/host-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import { hostScript, runHostScript } from '../ssh/host-script.js';
import { pushFile } from '../transfers/push-file.js';
import type { TransferRegistry } from '../transfers/transfer-registry.js';
import type { WorkspaceService } from '../workspaces/workspace-service.js';
import { fetchCatalog } from './catalog.js';
import { imageKindOfName, imagesDir, importedName } from './image-names.js';
import { detectKernelArch } from './kernel-arch.js';

export interface ImageService {
  listInstalled(hostId: string): Promise<HostImages>;
  import(request: { hostId: string; workspaceId: string; path: string; transferId: string }): Promise<InstalledImage>;
  /** The bucket's images for `version` (default: the Firecracker version in Settings), marked by what fits the host. */
  catalog(hostId: string, options?: { version?: string; signal?: AbortSignal }): Promise<CatalogImage[]>;
}

const imagesList = hostScript({ name: 'images-list', source: imagesListSource, what: 'Listing the host’s images' });
const imageChecksumRecord = hostScript({
  name: 'image-checksum-record',
  source: imageChecksumRecordSource,
  what: 'Recording the image checksum',
  remedy: 'Check free space in the image folder on the host.',
});

/** What a local file is, from its first bytes: a kernel (with its architecture) or an ext4 image. */
function classifyImage(header: Uint8Array): { kind: 'kernel'; arch: Arch } | { kind: 'rootfs' } | null {
  const kernel = detectKernelArch(header);
  if (kernel) return { kind: 'kernel', arch: kernel.arch };
  // ext4 superblock magic 0xEF53 at byte 1080 (superblock at 1024, s_magic at +56).
  if (header.length >= 1082 && header[1080] === 0x53 && header[1081] === 0xef) return { kind: 'rootfs' };
  return null;
}

/** One line of images-list.sh: SIZE, SHA256, HEADER (base64), NAME (base64). */
export function parseImageLine(line: string, dir: string): InstalledImage | null {
  const [size, sha256, header, encodedName] = line.split('\t');
  if (encodedName === undefined) return null;
  const name = Buffer.from(encodedName, 'base64').toString('utf8');
  const kernel = detectKernelArch(Buffer.from(header ?? '', 'base64'));
  // A file whose header is a kernel's is one, whatever its name; its architecture is the header's.
  const kind = kernel ? 'kernel' : imageKindOfName(name);
  if (!kind || name.includes('/')) return null;
  return { name, path: posix.join(dir, name), kind, ...(kernel ? { arch: kernel.arch } : {}), sizeBytes: Number(size), ...(sha256 ? { sha256 } : {}) };
}

/**
 * Images live per architecture on each host (`~/.firedeck/images/ARCH/`). Each kernel is
 * reported with the architecture its header names, read in the same round trip as the list,
 * so a kernel of the wrong architecture in that folder is shown as such, not offered.
 */
export function createImageService(deps: { hosts: HostService; workspaces: WorkspaceService; transfers: TransferRegistry; settings: SettingsService; fetch?: typeof fetch }): ImageService {
  const fetchImpl = deps.fetch ?? fetch;

  async function listInstalled(hostId: string): Promise<HostImages> {
    const { probe, connection } = await deps.hosts.context(hostId);
    const dir = imagesDir(probe);
    const listed = await runHostScript(connection, imagesList, [dir], { timeoutMs: 30_000 });
    const images = listed.output.split('\n').map((line) => parseImageLine(line, dir)).filter((i): i is InstalledImage => i !== null);
    return { hostId, arch: probe.arch, dir, images };
  }

  return {
    listInstalled,
    async import({ hostId, workspaceId, path, transferId }) {
      const { probe, connection } = await deps.hosts.context(hostId);
      const dir = imagesDir(probe);
      const file = await (await deps.workspaces.files(workspaceId)).realFile(path);
      const handle = await open(file.path, 'r');
      const header = Buffer.alloc(2048);
      try {
        await handle.read(header, 0, header.length, 0);
      } finally {
        await handle.close();
      }
      const what = classifyImage(header);
      const name = posix.basename(path);
      if (!what) throw new AppError('IMAGE_UNKNOWN', `${name} is neither a Linux kernel (ELF vmlinux or arm64 Image) nor an ext4 root filesystem.`, { remedy: 'Choose an uncompressed kernel or an ext4 image.' });
      if (what.kind === 'kernel' && what.arch !== probe.arch) {
        throw new AppError('KERNEL_ARCH_MISMATCH', `${name} is built for ${what.arch}, but this host is ${probe.arch}; it was not uploaded.`, { remedy: `Choose an ${probe.arch} kernel.` });
      }
      const target = importedName(name, what.kind);
      const home = posix.dirname(probe.firedeckDir);
      const pushed = await deps.transfers.run(transferId, ({ signal, progress }) =>
        pushFile(connection, {
          localPath: file.path,
          size: file.size,
          remoteRelative: posix.relative(home, posix.join(dir, target)),
          transferId,
          signal,
          onProgress: progress,
        }),
      );
      await runHostScript(connection, imageChecksumRecord, [pushed.remotePath, pushed.sha256], { timeoutMs: 30_000 });
      return {
        name: target,
        path: pushed.remotePath,
        kind: what.kind,
        ...(what.kind === 'kernel' ? { arch: what.arch } : {}),
        sizeBytes: file.size,
        sha256: pushed.sha256,
        ...(pushed.sftpProblem ? { sftpProblem: pushed.sftpProblem } : {}),
      };
    },
    async catalog(hostId, options = {}) {
      const { probe } = await deps.hosts.context(hostId);
      const settings = await deps.settings.get();
      return fetchCatalog({ imageBaseUrl: settings.imageBaseUrl, version: options.version ?? settings.firecrackerVersion, hostArch: probe.arch, fetch: fetchImpl, signal: options.signal });
    },
  };
}
