import { describe, expect, it } from 'vitest';
import { imageKindOfName, imagesDir, importedName, rootfsFileName } from '../../../../electron/images/image-names';

describe('image names (one owner for the catalog, the listing, imports and the wizard)', () => {
  it('tells kernels and root filesystems by name, and skips what sits beside them', () => {
    expect(['vmlinux-6.1.102', 'Image-6.1', 'bzImage'].map(imageKindOfName)).toEqual(['kernel', 'kernel', 'kernel']);
    expect(['ubuntu-22.04.squashfs', 'rootfs-u.ext4', 'disk.img', 'disk.raw'].map(imageKindOfName)).toEqual(['rootfs', 'rootfs', 'rootfs', 'rootfs']);
    expect(['vmlinux-6.1.102.config', 'vmlinux-6.1.sha256', 'ubuntu-22.04.id_rsa', '.x.part', 'notes'].map(imageKindOfName)).toEqual([null, null, null, null, null]);
  });

  it('names imports so the listing recognises them, and the wizard’s ext4 after its catalog image', () => {
    expect(importedName('vmlinux-custom', 'kernel')).toBe('vmlinux-custom');
    expect(importedName('my-kernel', 'kernel')).toBe('vmlinux-my-kernel');
    expect(importedName('disk', 'rootfs')).toBe('disk.ext4');
    expect(rootfsFileName('ubuntu-22.04.squashfs')).toBe('rootfs-ubuntu-22.04.ext4');
    expect(imagesDir({ firedeckDir: '/home/u/.firedeck', arch: 'aarch64' })).toBe('/home/u/.firedeck/images/aarch64');
  });
});
