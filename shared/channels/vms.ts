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
    rootfs: hostPath,
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
  rootfs: string;
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
  'vms.snapshot': channel<{ snapshotDir: string }>()(z.object(vmRef).strict()),
  'vms.restore': channel<VmSummary>()(z.object({ ...vmRef, newId: vmIdSchema }).strict()),
  'vms.getConfig': channel<Record<string, unknown>>()(z.object(vmRef).strict()),
  /** Starts streaming the serial console as `vms.consoleOutput` events, from the start of the log. */
  'vms.consoleOpen': channel<{ sessionId: string }>()(z.object(vmRef).strict()),
  'vms.consoleInput': channel<{ sent: number }>()(z.object({ sessionId: z.string().uuid(), data: z.string().max(64 * 1024) }).strict()),
  'vms.consoleClose': channel<{ closed: boolean }>()(z.object({ sessionId: z.string().uuid() }).strict()),
};
