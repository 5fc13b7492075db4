import type { HostImages, InstalledImage } from '../../../shared/channels/images';
import type { VmCreateInput } from '../../../shared/channels/vms';
import { defaultDiskMib } from './disk-size';

/** The New microVM form as typed: every field a string until it is sent. */
export interface VmDraft {
  hostId: string;
  id: string;
  name: string;
  vcpus: string;
  memory: string;
  kernel: string;
  rootfs: string;
  /** Disk size in MiB; empty: the image's size plus headroom. */
  disk: string;
  /** On by default: the VM gets its own network (NAT, an address the host reaches, DNS). */
  network: boolean;
  mmds: string;
}

export const emptyVmDraft = (hostId: string): VmDraft => ({ hostId, id: '', name: '', vcpus: '1', memory: '256', kernel: '', rootfs: '', disk: '', network: true, mmds: '' });

/**
 * The images the form offers: kernels by what their header says (a kernel of the wrong
 * architecture may sit in the host's folder and would crash Firecracker at once), root
 * filesystems as listed. A kernel whose header was not read is offered by its folder.
 */
export function offeredImages(images: HostImages | undefined): { kernels: InstalledImage[]; rootfses: InstalledImage[] } {
  const all = images?.images ?? [];
  return {
    kernels: all.filter((i) => i.kind === 'kernel' && (i.arch === undefined || i.arch === images?.arch)),
    rootfses: all.filter((i) => i.kind === 'rootfs'),
  };
}

/** The request the draft makes, or the fields that cannot be read. The backend checks the rest. */
export function requestFromDraft(draft: VmDraft, chosen: { kernel: string; rootfs: string; rootfsBytes?: number }): { ok: true; input: VmCreateInput } | { ok: false; errors: Record<string, string> } {
  let metadata: Record<string, unknown> | undefined;
  if (draft.mmds.trim()) {
    try {
      const parsed: unknown = JSON.parse(draft.mmds);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      metadata = parsed as Record<string, unknown>;
    } catch {
      return { ok: false, errors: { mmds: 'The metadata must be a JSON object, e.g. {"role": "ci"}.' } };
    }
  }
  const disk = draft.disk.trim();
  if (disk && !/^\d+$/.test(disk)) return { ok: false, errors: { diskMib: 'The disk size is a whole number of MiB, e.g. 2048.' } };
  const diskMib = disk ? Number(disk) : chosen.rootfsBytes !== undefined ? defaultDiskMib(chosen.rootfsBytes) : undefined;
  return {
    ok: true,
    input: {
      hostId: draft.hostId,
      id: draft.id,
      ...(draft.name.trim() ? { name: draft.name } : {}),
      vcpus: Number(draft.vcpus),
      memoryMib: Number(draft.memory),
      kernel: chosen.kernel,
      rootfs: chosen.rootfs,
      ...(diskMib !== undefined ? { diskMib } : {}),
      network: draft.network ? 'default' : 'none',
      ...(metadata ? { mmds: metadata } : {}),
    },
  };
}
