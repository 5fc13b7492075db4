import type { Arch } from '../../shared/channels/hosts.js';

export interface KernelArch {
  arch: Arch;
  format: 'elf' | 'arm64-image';
}

const EM_X86_64 = 62;
const EM_AARCH64 = 183;
/** "ARM\x64" at offset 0x38 of an arm64 Image header (Linux Documentation/arch/arm64/booting). */
const ARM64_MAGIC = [0x41, 0x52, 0x4d, 0x64];

/**
 * The architecture a kernel file was built for, read from its first 64 bytes: an ELF `vmlinux`
 * (e_machine, either byte order, 32- or 64-bit) or an arm64 `Image`. A kernel of the wrong
 * architecture makes Firecracker fail with no useful message, so this is checked before boot.
 */
export function detectKernelArch(header: Uint8Array): KernelArch | null {
  if (header.length >= 20 && header[0] === 0x7f && header[1] === 0x45 && header[2] === 0x4c && header[3] === 0x46) {
    const littleEndian = header[5] === 1;
    const bigEndian = header[5] === 2;
    if (!littleEndian && !bigEndian) return null;
    const machine = littleEndian ? header[18]! | (header[19]! << 8) : (header[18]! << 8) | header[19]!;
    if (machine === EM_X86_64) return { arch: 'x86_64', format: 'elf' };
    if (machine === EM_AARCH64) return { arch: 'aarch64', format: 'elf' };
    return null;
  }
  if (header.length >= 0x3c && ARM64_MAGIC.every((byte, i) => header[0x38 + i] === byte)) {
    return { arch: 'aarch64', format: 'arm64-image' };
  }
  return null;
}
