/**
 * The test kernel file: what a real guest's "vmlinux" is in the test rig.
 *
 * Firecracker boots an uncompressed ELF vmlinux, and Firedeck checks a kernel's ELF header
 * (e_machine 62 on x86_64) before boot. QEMU's microvm machine under TCG does not get Debian's
 * ELF vmlinux to init through PVH, but boots its bzImage fine. So the test kernel file is:
 *
 *   0x0000  a 64-byte ELF64 header (ET_EXEC, EM_X86_64, no program headers): passes the checks
 *   0x0040  the mark `FIREDECK-TEST-KERNEL/1\n`, then one JSON line with the layout below
 *   0x1000  the bzImage, then (4 KiB aligned) the initramfs, each at the offset the JSON names
 *
 * The emulator recognises the mark and hands the bzImage and initramfs to QEMU. A file without
 * the mark (the header-only kernels of the API tests) gets the script guest.
 */
import { closeSync, openSync, readSync, writeSync, fstatSync } from 'node:fs';
import { createHash } from 'node:crypto';

export const TEST_KERNEL_MARK = 'FIREDECK-TEST-KERNEL/1\n';
const MARK_OFFSET = 64;
const HEADER_SIZE = 4096;

export interface Part {
  offset: number;
  size: number;
}

export interface TestKernelLayout {
  /** Identifies the contents (a digest of both parts), for caching what is unpacked. */
  id: string;
  bzImage: Part;
  initrd: Part;
}

function elfHeader(): Buffer {
  const h = Buffer.alloc(64);
  h.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]); // ELF, 64-bit, little endian, version 1
  h.writeUInt16LE(2, 16); // ET_EXEC
  h.writeUInt16LE(62, 18); // EM_X86_64
  h.writeUInt32LE(1, 20); // EV_CURRENT
  h.writeUInt16LE(64, 52); // e_ehsize
  h.writeUInt16LE(56, 54); // e_phentsize
  h.writeUInt16LE(64, 58); // e_shentsize
  return h;
}

const align = (n: number) => Math.ceil(n / 4096) * 4096;

/** Writes the test kernel file `out` from a bzImage and an initramfs (both whole, in memory). */
export function packTestKernel(bzImage: Buffer, initrd: Buffer, out: string): void {
  const id = createHash('sha256').update(bzImage).update(initrd).digest('hex').slice(0, 32);
  const layout: TestKernelLayout = { id, bzImage: { offset: HEADER_SIZE, size: bzImage.length }, initrd: { offset: align(HEADER_SIZE + bzImage.length), size: initrd.length } };
  const header = Buffer.alloc(HEADER_SIZE);
  elfHeader().copy(header, 0);
  const text = `${TEST_KERNEL_MARK}${JSON.stringify(layout)}\n`;
  if (MARK_OFFSET + text.length > HEADER_SIZE) throw new Error('test kernel layout does not fit its header');
  header.write(text, MARK_OFFSET, 'latin1');
  const fd = openSync(out, 'w', 0o644);
  try {
    writeSync(fd, header, 0, header.length, 0);
    writeSync(fd, bzImage, 0, bzImage.length, layout.bzImage.offset);
    writeSync(fd, initrd, 0, initrd.length, layout.initrd.offset);
  } finally {
    closeSync(fd);
  }
}

/** The layout of a test kernel open as `fd`, or null for any other file. */
export function readTestKernel(fd: number): TestKernelLayout | null {
  const header = Buffer.alloc(HEADER_SIZE);
  let n = 0;
  try {
    n = readSync(fd, header, 0, HEADER_SIZE, 0);
  } catch {
    return null;
  }
  if (n < HEADER_SIZE || header.toString('latin1', MARK_OFFSET, MARK_OFFSET + TEST_KERNEL_MARK.length) !== TEST_KERNEL_MARK) return null;
  const start = MARK_OFFSET + TEST_KERNEL_MARK.length;
  const end = header.indexOf(0x0a, start);
  try {
    const layout = JSON.parse(header.toString('latin1', start, end)) as TestKernelLayout;
    const size = fstatSync(fd).size;
    const fits = (p: Part) => Number.isInteger(p.offset) && Number.isInteger(p.size) && p.offset >= HEADER_SIZE && p.offset + p.size <= size;
    return typeof layout.id === 'string' && /^[0-9a-f]+$/.test(layout.id) && fits(layout.bzImage) && fits(layout.initrd) ? layout : null;
  } catch {
    return null;
  }
}

/** Reads one part of the test kernel. */
export function readPart(fd: number, part: Part): Buffer {
  const buf = Buffer.alloc(part.size);
  let done = 0;
  while (done < part.size) {
    const n = readSync(fd, buf, done, part.size - done, part.offset + done);
    if (n === 0) throw new Error('test kernel file is shorter than its layout');
    done += n;
  }
  return buf;
}
