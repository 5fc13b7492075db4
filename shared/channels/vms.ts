import { z } from 'zod';
import { channel } from '../channel.js';
import { vmIdSchema } from '../ids.js';

const hostId = z.string().uuid({ message: 'Unknown host id.' });
const hostPath = z
  .string()
  .trim()
  .min(1, { message: 'Choose a file on the host.' })
  .max(1024)
  .refine((p) => p.startsWith('/') && !p.includes('\0'), { message: 'A path on the host starts with /.' });

export const vmCreateSchema = z
  .object({
    hostId,
    id: vmIdSchema,
    /** Free text for people; the id is what Firecracker and the host see. */
    name: z.string().trim().max(100).optional(),
    vcpus: z.number().int().min(1, { message: 'A microVM has 1 to 32 vCPUs.' }).max(32, { message: 'A microVM has 1 to 32 vCPUs.' }),
    memoryMib: z.number().int().min(128, { message: 'Give the microVM at least 128 MiB.' }).max(1024 * 1024),
    kernel: hostPath,
    /** The image the VM's own disk is copied from; the image itself is never written. */
    rootfs: hostPath,
    /** The VM's disk size; absent: the image's size. Larger grows the copy and its ext4. */
    diskMib: z.number().int().min(1, { message: 'A disk has at least 1 MiB.' }).max(16 * 1024 * 1024, { message: 'A disk has at most 16 TiB.' }).optional(),
    bootArgs: z.string().max(2048).default('console=ttyS0 reboot=k panic=1 pci=off'),
    /**
     * `default`: the VM gets its own network (NAT out through the host, an address the host
     * reaches, DNS; see electron/network). `none`: no network device. The earlier form, a tap
     * name and a MAC the user typed, is read as `default`: Firedeck now makes the tap itself.
     */
    network: z
      .union([z.enum(['default', 'none']), z.object({ tap: z.string(), mac: z.string() }).transform(() => 'default' as const)])
      .default('default'),
    mmds: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type VmCreateInput = z.input<typeof vmCreateSchema>;
export type VmCreateRequest = z.output<typeof vmCreateSchema>;

export type VmState = 'starting' | 'running' | 'paused' | 'stopped' | 'exited' | 'unknown';

export interface VmSummary {
  hostId: string;
  id: string;
  name?: string;
  state: VmState;
  vcpus: number;
  memoryMib: number;
  kernel: string;
  /** The image the VM was made from (its path; `image` has its name and checksum). */
  rootfs: string;
  /** The image its own disk was copied from, with the image's SHA-256 at that time. */
  image?: { name: string; path: string; sha256: string };
  /** The size of the VM's own disk (absent for VMs made before VMs had one: they boot the image). */
  diskBytes?: number;
  startedAt?: string;
  /** For an exited VM: the last lines of its console log. */
  lastLog?: string[];
  /** What Firecracker reported, when it could be asked. */
  firecrackerVersion?: string;
  /**
   * Set while the VM's host cannot be asked (not connected, or not answering): `state` is what was
   * seen at `lastSeenAt`, nothing can be done to the VM, and `message`/`remedy` say why.
   */
  offline?: { lastSeenAt: string; message: string; remedy?: string };
  /** A running VM's network: where the host reaches it (block .2 of the pool) and the guest's own address and MAC. */
  network?: VmNetworkSummary;
  /** Why a VM that asked for a network has none (e.g. no network helper on the host). */
  networkProblem?: { message: string; remedy?: string };
}

export interface VmNetworkSummary {
  /** The host reaches the guest here (DNAT to guestAddress inside the VM's namespace). */
  hostAddress: string;
  guestAddress: string;
  mac: string;
}

const vmRef = { hostId, id: vmIdSchema };

/** A snapshot's name: also its folder under the VM's run directory (`snapshots/NAME`). */
export const snapshotNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'A snapshot name has 1 to 64 letters, digits, ., _ or -, and starts with a letter or digit.' });

/** A named snapshot kept under its VM: memory, VM state and a copy of the VM's disk, taken while paused. */
export interface VmSnapshot {
  name: string;
  createdAt: string;
  /** What it takes on the host's disk (memory + state + disk copy; a reflinked copy shares blocks). */
  sizeBytes: number;
  /** False for a snapshot of a VM without a disk of its own (made before VMs had one). */
  hasDisk: boolean;
}

export const vmsChannels = {
  /** Every VM on every connected host, read from the hosts. */
  'vms.list': channel<VmSummary[]>()(z.undefined()),
  'vms.create': channel<VmSummary>()(vmCreateSchema),
  'vms.pause': channel<VmSummary>()(z.object(vmRef).strict()),
  'vms.resume': channel<VmSummary>()(z.object(vmRef).strict()),
  /** Ctrl+Alt+Del on x86_64 (the guest shuts down), then kill after a timeout; kill on aarch64. */
  'vms.stop': channel<VmSummary>()(z.object(vmRef).strict()),
  'vms.kill': channel<VmSummary>()(z.object(vmRef).strict()),
  'vms.delete': channel<{ deleted: boolean }>()(z.object(vmRef).strict()),
  /** Pauses the VM, keeps memory, state and a copy of its disk as snapshot `name` (default: from the time), resumes it. */
  'vms.snapshot': channel<{ snapshotDir: string; snapshot: VmSnapshot }>()(z.object({ ...vmRef, name: snapshotNameSchema.optional() }).strict()),
  /** The VM's snapshots, newest first. */
  'vms.snapshots': channel<VmSnapshot[]>()(z.object(vmRef).strict()),
  'vms.snapshotDelete': channel<{ deleted: boolean }>()(z.object({ ...vmRef, snapshot: snapshotNameSchema }).strict()),
  /** A new VM `newId` from the snapshot (default: the newest), with its own copy of the snapshot's disk. */
  'vms.restore': channel<VmSummary>()(z.object({ ...vmRef, newId: vmIdSchema, snapshot: snapshotNameSchema.optional() }).strict()),
  /** Puts the VM back to the snapshot: its disk and memory replaced by the snapshot's, in place. */
  'vms.rollback': channel<VmSummary>()(z.object({ ...vmRef, snapshot: snapshotNameSchema }).strict()),
  'vms.getConfig': channel<Record<string, unknown>>()(z.object(vmRef).strict()),
  /** Starts streaming the serial console as `vms.consoleOutput` events, from the start of the log. */
  'vms.consoleOpen': channel<{ sessionId: string }>()(z.object(vmRef).strict()),
  'vms.consoleInput': channel<{ sent: number }>()(z.object({ sessionId: z.string().uuid(), data: z.string().max(64 * 1024) }).strict()),
  'vms.consoleClose': channel<{ closed: boolean }>()(z.object({ sessionId: z.string().uuid() }).strict()),
};
