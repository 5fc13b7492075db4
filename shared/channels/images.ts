import { z } from 'zod';
import { channel } from '../channel.js';
import type { Arch } from './hosts.js';

export interface InstalledImage {
  name: string;
  /** Absolute path on the host. */
  path: string;
  kind: 'kernel' | 'rootfs';
  sizeBytes: number;
}

export interface HostImages {
  hostId: string;
  arch: Arch;
  /** `~/.firedeck/images/ARCH` on the host. */
  dir: string;
  images: InstalledImage[];
}

export const imagesChannels = {
  /** The kernels and root filesystems installed for the host's own architecture. */
  'images.listInstalled': channel<HostImages>()(z.object({ hostId: z.string().uuid() }).strict()),
};
