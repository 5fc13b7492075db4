import { describe, expect, it } from 'vitest';
import { detectKernelArch } from '../../../../electron/images/kernel-arch';

function elf(machine: number, { bits = 64, endian = 'little' }: { bits?: 32 | 64; endian?: 'little' | 'big' } = {}) {
  const header = Buffer.alloc(64);
  header.set([0x7f, 0x45, 0x4c, 0x46, bits === 64 ? 2 : 1, endian === 'little' ? 1 : 2, 1]);
  if (endian === 'little') header.writeUInt16LE(machine, 18);
  else header.writeUInt16BE(machine, 18);
  return header;
}

describe('detectKernelArch', () => {
  it('reads e_machine of ELF kernels, 32- and 64-bit, either byte order', () => {
    expect(detectKernelArch(elf(62))).toEqual({ arch: 'x86_64', format: 'elf' });
    expect(detectKernelArch(elf(183))).toEqual({ arch: 'aarch64', format: 'elf' });
    expect(detectKernelArch(elf(183, { endian: 'big' }))).toEqual({ arch: 'aarch64', format: 'elf' });
    expect(detectKernelArch(elf(62, { bits: 32 }))).toEqual({ arch: 'x86_64', format: 'elf' });
  });

  it('finds the arm64 Image magic at 0x38', () => {
    const image = Buffer.alloc(64);
    image.set([0x41, 0x52, 0x4d, 0x64], 0x38);
    expect(detectKernelArch(image)).toEqual({ arch: 'aarch64', format: 'arm64-image' });
  });

  it('recognises nothing else', () => {
    expect(detectKernelArch(elf(40))).toBeNull(); // ARM 32-bit
    expect(detectKernelArch(Buffer.from('#!/bin/sh\necho not a kernel\n'))).toBeNull();
    expect(detectKernelArch(new Uint8Array(0))).toBeNull();
    const gzip = Buffer.alloc(64);
    gzip.set([0x1f, 0x8b]); // a compressed bzImage/vmlinuz is not what Firecracker loads on x86_64
    expect(detectKernelArch(gzip)).toBeNull();
  });
});
