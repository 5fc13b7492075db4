import { posix } from 'node:path';
import type { Arch } from '../../shared/channels/hosts.js';

/**
 * Where images live on a host and what they are called: the one owner of these rules for the
 * catalog, the installed list, imports and the setup wizard.
 */

/** `~/.firedeck/images/ARCH`: images are kept per architecture, so a host is only offered its own. */
export function imagesDir(host: { firedeckDir: string; arch: Arch }): string {
  return posix.join(host.firedeckDir, 'images', host.arch);
}

const KERNEL_NAME = /^(vmlinux|Image|bzImage)/;
const ROOTFS_NAME = /\.(ext4|img|raw|squashfs)$/;
/** Files that sit beside images in the CI bucket and in image folders but are none. */
const NOT_AN_IMAGE = /\.(config|debug|sha256|txt|part|dl)$/;

/** What a file name says an image is (the catalog's keys, the image folder's files). */
export function imageKindOfName(name: string): 'kernel' | 'rootfs' | null {
  if (NOT_AN_IMAGE.test(name)) return null;
  return KERNEL_NAME.test(name) ? 'kernel' : ROOTFS_NAME.test(name) ? 'rootfs' : null;
}

/** The name an imported file gets in the image folder, so the listing recognises it. */
export function importedName(name: string, kind: 'kernel' | 'rootfs'): string {
  if (kind === 'kernel') return KERNEL_NAME.test(name) ? name : `vmlinux-${name}`;
  return name.endsWith('.ext4') ? name : `${name}.ext4`;
}

/** The writable ext4 the wizard makes of a catalog root filesystem: `ubuntu-22.04.squashfs` → `rootfs-ubuntu-22.04.ext4`. */
export function rootfsFileName(catalogName: string): string {
  return `rootfs-${catalogName.replace(/\.(squashfs|ext4)$/, '')}.ext4`;
}
