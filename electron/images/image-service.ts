import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Arch } from '../../shared/channels/hosts.js';
import type { HostImages, InstalledImage } from '../../shared/channels/images.js';
import { AppError } from '../app-error.js';
import type { TransferRegistry } from '../transfers/transfer-registry.js';
import type { HostService } from '../hosts/host-service.js';
import { pushFile } from '../workspaces/push-file.js';
import type { WorkspaceService } from '../workspaces/workspace-service.js';
import { detectKernelArch } from './kernel-arch.js';
import { shq } from '../ssh/shell-quote.js';

export interface ImageService {
  listInstalled(hostId: string): Promise<HostImages>;
  import(request: { hostId: string; workspaceId: string; path: string; transferId: string }): Promise<InstalledImage>;
}

/** What a local file is, from its first bytes: a kernel (with its architecture) or an ext4 image. */
function classifyImage(header: Uint8Array): { kind: 'kernel'; arch: Arch } | { kind: 'rootfs' } | null {
  const kernel = detectKernelArch(header);
  if (kernel) return { kind: 'kernel', arch: kernel.arch };
  // ext4 superblock magic 0xEF53 at byte 1080 (superblock at 1024, s_magic at +56).
  if (header.length >= 1082 && header[1080] === 0x53 && header[1081] === 0xef) return { kind: 'rootfs' };
  return null;
}

/**
 * Images live per architecture on each host (`~/.firedeck/images/ARCH/`), so a host is only
 * ever offered kernels and root filesystems built for it.
 */
export function createImageService(deps: { hosts: HostService; workspaces: WorkspaceService; transfers: TransferRegistry }): ImageService {
  async function listInstalled(hostId: string): Promise<HostImages> {
    const { probe, connection } = await deps.hosts.context(hostId);
    const dir = posix.join(probe.firedeckDir, 'images', probe.arch);
    const result = await connection.exec(
      `cd -- ${shq(dir)} 2>/dev/null || exit 0\nfor f in *; do [ -f "$f" ] || continue; sum=; [ -f "$f.sha256" ] && read -r sum < "$f.sha256"; printf '%s\\t%s\\t%s\\n' "$(stat -c %s -- "$f")" "$sum" "$f"; done; true`,
      { timeoutMs: 30_000 },
    );
    const images: InstalledImage[] = [];
    for (const line of result.output.split('\n')) {
      const [size, sha256, ...rest] = line.split('\t');
      const name = rest.join('\t');
      if (!name || name.endsWith('.sha256') || name.endsWith('.part')) continue;
      const kind = /^(vmlinux|Image|bzImage)/.test(name) ? 'kernel' : /\.(ext4|img|raw)$/.test(name) ? 'rootfs' : null;
      if (kind) images.push({ name, path: posix.join(dir, name), kind, sizeBytes: Number(size), ...(sha256 ? { sha256 } : {}) });
    }
    return { hostId, arch: probe.arch, dir, images };
  }

  return {
    listInstalled,
    async import({ hostId, workspaceId, path, transferId }) {
      const { dir, arch } = await listInstalled(hostId);
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
      if (what.kind === 'kernel' && what.arch !== arch) {
        throw new AppError('KERNEL_ARCH_MISMATCH', `${name} is built for ${what.arch}, but this host is ${arch}; it was not uploaded.`, { remedy: `Choose an ${arch} kernel.` });
      }
      const target = what.kind === 'kernel' ? (/^(vmlinux|Image)/.test(name) ? name : `vmlinux-${name}`) : name.endsWith('.ext4') ? name : `${name}.ext4`;
      const home = posix.dirname(posix.dirname(posix.dirname(dir))); // …/HOME/.firedeck/images/ARCH
      const connection = deps.hosts.connection(hostId);
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
      const recorded = await connection.exec(`printf '%s\\n' ${shq(pushed.sha256)} > ${shq(`${posix.join(dir, target)}.sha256`)}`, { timeoutMs: 30_000 });
      if (recorded.exitCode !== 0) throw new AppError('HOST_COMMAND_FAILED', `${target} was uploaded, but its checksum file could not be written.`, { remedy: 'Check free space in the image folder on the host.' });
      return { name: target, path: pushed.remotePath, kind: what.kind, sizeBytes: file.size, sha256: pushed.sha256 };
    },
  };
}
