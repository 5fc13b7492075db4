import { z } from 'zod';

/**
 * How microVMs are jailed where the host has the privileged helper: the uid/gid range the jail
 * users come from (the helper skips every id a user or group has), one uid per VM or one per
 * host, and the memory the cgroup allows beyond the guest's own (Firecracker's own use).
 */
export const jailSettingsSchema = z
  .object({
    uidMin: z.number().int().min(10_000, { message: 'Jail uids start at 10000 or above.' }).max(2_147_483_646),
    uidMax: z.number().int().min(10_000).max(2_147_483_646, { message: 'Jail uids end at 2147483646 at most.' }),
    uidPer: z.enum(['vm', 'host']),
    memoryOverheadMib: z.number().int().min(0).max(65_536),
  })
  .strict()
  .refine((s) => s.uidMax >= s.uidMin, { message: 'The last jail uid must not be below the first.', path: ['uidMax'] });
export type JailSettings = z.output<typeof jailSettingsSchema>;

export const defaultJailSettings: JailSettings = { uidMin: 900_000, uidMax: 999_999, uidPer: 'vm', memoryOverheadMib: 64 };

/** Why a VM runs unjailed (what the VM page says, with a remedy). */
export type UnjailedReason = 'helper-missing' | 'helper-tampered' | 'helper-no-sudo' | 'jailer-missing' | 'jailer-unsafe' | 'tap-network' | 'unknown';

/** A microVM's jail as its host says it is (the run directory's `jail` line). */
export type VmJail =
  | {
      jailed: true;
      uid: number;
      gid: number;
      /** The jailed Firecracker's `/` on the host. */
      chroot: string;
      /** The VM's cgroup v2 directory; null where the host's v2 hierarchy has neither cpu nor memory. */
      cgroup: string | null;
      /** cgroup v2 `cpu.max` as "QUOTA PERIOD" (µs), when applied. */
      cpuMax?: string;
      /** cgroup v2 `memory.max` in bytes, when applied. */
      memoryMaxBytes?: number;
      /** Controllers the host's cgroup v2 hierarchy lacks, so their limit is not applied. */
      cgroupMissing: string[];
      seccomp: boolean;
      /** The network namespace it runs in, when it has one. */
      netns: string | null;
      /** --resource-limit no-file. */
      noFile?: number;
    }
  | { jailed: false; reason: UnjailedReason; message: string; remedy?: string };
