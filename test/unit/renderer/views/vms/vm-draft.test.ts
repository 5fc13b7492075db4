import { describe, expect, it } from 'vitest';
import type { HostImages } from '../../../../../shared/channels/images';
import { emptyVmDraft, offeredImages, requestFromDraft } from '../../../../../renderer/views/vms/vm-draft';

const images: HostImages = {
  hostId: 'h1',
  arch: 'x86_64',
  dir: '/home/u/.firedeck/images/x86_64',
  images: [
    { name: 'vmlinux-6.1', path: '/i/vmlinux-6.1', kind: 'kernel', sizeBytes: 1, arch: 'x86_64' },
    // An arm64 kernel that sits in the x86_64 folder: its header says what it is.
    { name: 'vmlinux-arm', path: '/i/vmlinux-arm', kind: 'kernel', sizeBytes: 1, arch: 'aarch64' },
    { name: 'vmlinux-unread', path: '/i/vmlinux-unread', kind: 'kernel', sizeBytes: 1 },
    { name: 'rootfs.ext4', path: '/i/rootfs.ext4', kind: 'rootfs', sizeBytes: 1 },
  ],
};

describe('the New microVM form', () => {
  it('offers kernels by what their header says, not by their folder', () => {
    const { kernels, rootfses } = offeredImages(images);
    expect(kernels.map((k) => k.name)).toEqual(['vmlinux-6.1', 'vmlinux-unread']);
    expect(rootfses.map((r) => r.name)).toEqual(['rootfs.ext4']);
    expect(offeredImages(undefined)).toEqual({ kernels: [], rootfses: [] });
  });

  it('makes the request from the draft, with a network unless it was turned off', () => {
    const draft = { ...emptyVmDraft('h1'), id: 'vm-1', name: ' ', mmds: '{"role":"ci"}' };
    expect(requestFromDraft(draft, { kernel: '/k', rootfs: '/r' })).toEqual({
      ok: true,
      input: { hostId: 'h1', id: 'vm-1', vcpus: 1, memoryMib: 256, kernel: '/k', rootfs: '/r', network: 'default', mmds: { role: 'ci' } },
    });
    expect(requestFromDraft({ ...draft, network: false }, { kernel: '/k', rootfs: '/r' })).toMatchObject({ ok: true, input: { network: 'none' } });
  });

  it('asks for the image’s size plus headroom when the disk size is left empty, and takes a typed one', () => {
    const draft = { ...emptyVmDraft('h1'), id: 'vm-1' };
    const image = { kernel: '/k', rootfs: '/r', rootfsBytes: 300 * 1024 * 1024 + 1 };
    expect(requestFromDraft(draft, image)).toMatchObject({ ok: true, input: { diskMib: 301 + 1024 } });
    expect(requestFromDraft({ ...draft, disk: ' 4096 ' }, image)).toMatchObject({ ok: true, input: { diskMib: 4096 } });
    expect(requestFromDraft({ ...draft, disk: '2 GiB' }, image)).toEqual({ ok: false, errors: { diskMib: expect.stringContaining('MiB') } });
  });

  it('refuses metadata that is not a JSON object, next to its field', () => {
    for (const mmds of ['{', '[1]', '"text"', 'null']) {
      expect(requestFromDraft({ ...emptyVmDraft('h1'), mmds }, { kernel: '/k', rootfs: '/r' })).toEqual({ ok: false, errors: { mmds: expect.stringContaining('JSON object') } });
    }
  });
});
