import { z } from 'zod';
import { channel } from '../channel.js';
import type { AppErrorShape } from '../errors.js';

const hostId = z.string().uuid({ message: 'Unknown host id.' });
/** Typed in the app, passed to `sudo -S` on standard input once, never stored or put on a command line. */
const sudoPassword = z
  .string()
  .min(1, { message: 'Enter the sudo password, or leave it out when sudo needs none.' })
  .max(1024)
  .refine((p) => !/[\n\r\0]/.test(p), { message: 'A sudo password is one line.' });

/** What the wizard shows before it installs the helper: its full text and the one sudoers line. */
export interface NetworkHelperText {
  /** Where it is installed, root-owned: /usr/local/libexec/firedeck/firedeck-helper. */
  path: string;
  text: string;
  sha256: string;
  version: string;
  sudoersPath: string;
  sudoersLine: string;
}

export interface NetworkHelperStatus {
  hostId: string;
  installed: boolean;
  /** The installed file is the shipped text (SHA-256), root's alone, and sudo runs it without a password. */
  verified: boolean;
  /** What the installed helper said its version was (only asked once it is verified). */
  version?: string;
  path: string;
  sudoersPath: string;
  sudoersInstalled: boolean;
  /** Why it cannot be used (not installed, tampered, sudo refuses it), with the remedy. */
  problem?: AppErrorShape;
}

/** One VM's network as found on the host. */
export interface VmNetworkEntry {
  vmId: string;
  netns: string;
  /** The block of the pool (null when its veth is gone). */
  index: number | null;
  /** Where the host reaches the VM (block .2), when the index is known. */
  hostAddress: string | null;
  /** Namespace, veth and host rule all there. */
  complete: boolean;
  /** The VM's folder (~/.firedeck/vms/ID) still exists. */
  vmDirExists: boolean;
}

export interface HostNetworks {
  hostId: string;
  helper: NetworkHelperStatus;
  pool: string;
  /** /30 blocks in the pool, and how many are in use on the host (by any user). */
  capacity: number;
  used: number;
  /** Routes of the host the pool overlaps (then no VM gets a network). */
  poolConflicts: string[];
  dns: string[];
  networks: VmNetworkEntry[];
}

export interface PoolCheck {
  pool: string;
  /** Why the pool is not usable at all (not a private IPv4 network from /12 to /30). */
  invalid?: string;
  capacity?: number;
  /** Per connected host with the helper: the routes the pool overlaps. */
  conflicts: { hostId: string; label: string; routes: string[] }[];
}

export const networkChannels = {
  /** The helper's text and the sudoers line, for the wizard to show before installing. */
  'network.helper': channel<NetworkHelperText>()(z.object({ hostId }).strict()),
  'network.status': channel<NetworkHelperStatus>()(z.object({ hostId }).strict()),
  /** Installs (or reinstalls over a tampered copy) the helper and its sudoers rule with sudo. */
  'network.install': channel<NetworkHelperStatus>()(z.object({ hostId, sudoPassword: sudoPassword.optional(), remember: z.boolean().optional() }).strict()),
  'network.uninstall': channel<NetworkHelperStatus>()(z.object({ hostId, sudoPassword: sudoPassword.optional(), remember: z.boolean().optional() }).strict()),
  /** Whether a network pool collides with the routes of the connected hosts (Settings checks before saving). */
  'network.checkPool': channel<PoolCheck>()(z.object({ pool: z.string().trim().max(32) }).strict()),
  /** The VM networks on the host, for the host page. */
  'network.list': channel<HostNetworks>()(z.object({ hostId }).strict()),
};
