import { z } from 'zod';
import { channel } from '../channel.js';
import type { Arch } from './hosts.js';

export interface InstalledImage {
  name: string;
  /** Absolute path on the host. */
  path: string;
  kind: 'kernel' | 'rootfs';
  /**
   * A kernel's architecture as its header says (ELF e_machine or the arm64 Image magic), whatever
   * folder it sits in; absent when the file is not a kernel Firecracker can boot.
   */
  arch?: Arch;
  sizeBytes: number;
  /** Recorded when the image was installed (NAME.sha256 beside it). */
  sha256?: string;
  /** After an import that could not use SFTP: why (the bytes went through an SSH exec channel). */
  sftpProblem?: string;
}

export interface HostImages {
  hostId: string;
  arch: Arch;
  /** `~/.firedeck/images/ARCH` on the host. */
  dir: string;
  images: InstalledImage[];
}

export interface CatalogImage {
  /** The bucket key, e.g. firecracker-ci/v1.12/x86_64/vmlinux-6.1.102. */
  key: string;
  name: string;
  arch: Arch;
  kind: 'kernel' | 'rootfs';
  sizeBytes: number;
  /** False for images of another architecture than the host's. */
  compatible: boolean;
}

export { IMPORTS_WORKSPACE } from '../limits.js';

export const imagesChannels = {
  /** The kernels and root filesystems installed for the host's own architecture. */
  'images.listInstalled': channel<HostImages>()(z.object({ hostId: z.string().uuid() }).strict()),
  /** The image bucket's kernels and root filesystems for both architectures, marked by what fits the host. */
  'images.catalog': channel<CatalogImage[]>()(z.object({ hostId: z.string().uuid() }).strict()),
  /**
   * Sends a kernel or ext4 root filesystem staged in a workspace to the host's image folder,
   * after checking what it is (and, for a kernel, that it fits the host's architecture).
   */
  'images.import': channel<InstalledImage>()(
    z.object({ hostId: z.string().uuid(), workspaceId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/), path: z.string().max(4096), transferId: z.string().uuid() }).strict(),
  ),
};
