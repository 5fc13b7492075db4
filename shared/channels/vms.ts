import { z } from 'zod';
import { channel } from '../channel.js';
import { vmIdSchema } from '../ids.js';
import type { VmJail } from './jail.js';

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
    network: z
      .object({
        tap: z.string().regex(/^[A-Za-z0-9_-]{1,15}$/, { message: 'A tap device name has 1 to 15 letters, digits, _ or -.' }),
        mac: z.string().regex(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/, { message: 'A MAC address looks like 06:00:AC:10:00:02.' }),
      })
      .strict()
      .optional(),
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
  /** Whether and how it runs under the jailer (see shared/channels/jail.ts). */
  jail?: VmJail;
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
