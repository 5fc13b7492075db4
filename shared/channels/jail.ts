import { z } from 'zod';
import { channel } from '../channel.js';

/**
 * How microVMs are jailed where the host has the privileged helper: the uid/gid range the jail
 * users come from (the helper skips every id a user or group has), one uid per VM or one per
 * host, and the memory the cgroup allows beyond the guest's own (Firecracker's own use).
 */
/** Jail uids come from this span: above the ids distributions hand out, below the kernel's (uid_t)-1 - 1. */
export const JAIL_UID_LOWEST = 10_000;
export const JAIL_UID_HIGHEST = 2_147_483_646;
/** Fewer ids than this would run out after a handful of VMs (the helper also skips ids already taken). */
export const JAIL_UID_MIN_COUNT = 8;

const jailUid = (what: string) =>
  z
    .number({ message: `${what} must be a whole number.` })
    .int({ message: `${what} must be a whole number.` })
    .min(JAIL_UID_LOWEST, { message: `${what} must be ${JAIL_UID_LOWEST} or above (lower ids belong to system and login users).` })
    .max(JAIL_UID_HIGHEST, { message: `${what} must be ${JAIL_UID_HIGHEST} at most.` });

export const jailSettingsSchema = z
  .object({
    uidMin: jailUid('The first jail uid'),
    uidMax: jailUid('The last jail uid'),
    uidPer: z.enum(['vm', 'host'], { message: 'Jail uids are given per VM ("vm") or per host ("host").' }),
    memoryOverheadMib: z
      .number({ message: 'The memory overhead must be a whole number of MiB.' })
      .int({ message: 'The memory overhead must be a whole number of MiB.' })
      .min(0, { message: 'The memory overhead cannot be negative.' })
      .max(65_536, { message: 'The memory overhead is 65536 MiB at most.' }),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.uidMax <= s.uidMin) {
      ctx.addIssue({ code: 'custom', path: ['uidMax'], message: 'The last jail uid must be above the first.' });
    } else if (s.uidMax - s.uidMin + 1 < JAIL_UID_MIN_COUNT) {
      ctx.addIssue({ code: 'custom', path: ['uidMax'], message: `The jail uid range must hold at least ${JAIL_UID_MIN_COUNT} ids (${s.uidMin}–${s.uidMin + JAIL_UID_MIN_COUNT - 1} at the least).` });
    }
  });
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

/** One jail of the SSH user's on a host, as the privileged helper lists it. */
export interface JailEntry {
  vmId: string;
  /** A process runs inside its chroot. */
  alive: boolean;
  /** The VM's run directory still exists; a jail without one is swept when the host connects. */
  runDirExists: boolean;
}

/** A host's jails, or why they cannot be listed (no helper, a tampered one, no sudo). */
export interface HostJails {
  hostId: string;
  jails: JailEntry[];
  problem?: { code: string; message: string; remedy?: string };
}

export const jailChannels = {
  'jail.list': channel<HostJails>()(z.object({ hostId: z.string().uuid({ message: 'Unknown host id.' }) }).strict()),
};
