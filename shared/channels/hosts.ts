import { z } from 'zod';
import { channel } from '../channel.js';
import type { AppErrorShape } from '../errors.js';

// Host names (RFC 1123 labels), IPv4 dotted quads and IPv6 literals; nothing a shell would read.
const hostnamePattern = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const ipv4Pattern = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const ipv6Pattern = /^(?=.*:.*:)[0-9A-Fa-f:.]{2,45}$/;

function isValidAddress(value: string): boolean {
  return ipv4Pattern.test(value) || ipv6Pattern.test(value) || (hostnamePattern.test(value) && !/^[\d.]+$/.test(value));
}

export const addressSchema = z
  .string()
  .trim()
  .refine(isValidAddress, { message: 'Enter a host name or IP address, such as build-01.example.com or 192.0.2.10.' });

export const portSchema = z
  .number({ message: 'Port must be a whole number from 1 to 65535.' })
  .int({ message: 'Port must be a whole number from 1 to 65535.' })
  .min(1, { message: 'Port must be a whole number from 1 to 65535.' })
  .max(65535, { message: 'Port must be a whole number from 1 to 65535.' });

/** POSIX portable user names: what `useradd` accepts by default, and nothing a shell would read. */
export const userSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$/, {
    message: "A user name has 1 to 32 letters, digits, '.', '_' or '-', and does not start with '-' or '.'.",
  });

export interface ProxyJump {
  user?: string;
  host: string;
  port?: number;
}

/**
 * `[user@]host[:port]`, as in OpenSSH's ProxyJump (one hop); an IPv6 address goes in brackets
 * (`[2001:db8::1]:22`). Null for anything else. The one parser for ProxyJump values.
 */
export function parseProxyJump(value: string): ProxyJump | null {
  const match = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!match) return null;
  const [, user, bracketed = '', port] = match;
  const host = bracketed.replace(/^\[|\]$/g, '');
  if (user !== undefined && !userSchema.safeParse(user).success) return null;
  if (!isValidAddress(host)) return null;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return null;
  return { ...(user !== undefined ? { user } : {}), host, ...(port !== undefined ? { port: Number(port) } : {}) };
}

export const proxyJumpSchema = z
  .string()
  .trim()
  .refine((value) => parseProxyJump(value) !== null, { message: 'A jump host looks like user@bastion.example.com:22 (user and port optional).' });

const localPath = z.string().trim().min(1, { message: 'Choose a file.' }).max(4096).refine((p) => !p.includes('\0'), { message: 'A path cannot contain a NUL byte.' });

export const authSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('agent'),
    /** The agent's socket; empty means SSH_AUTH_SOCK of the environment Firedeck started in. */
    agentSocket: localPath.optional(),
  }),
  z.object({ method: z.literal('key'), keyPath: localPath }),
  z.object({ method: z.literal('password') }),
]);
export type HostAuth = z.output<typeof authSchema>;

/**
 * How the app reaches each microVM's Firecracker API socket on this host. `ssh-unix`: an SSH
 * stream-local channel straight to the socket (no port anywhere). `ssh-exec`: for sshd that
 * forbids forwarding, an SSH exec channel per API connection relaying stdio to the socket
 * (no port either). `tcp`: a socat port on the host's LAN address, which anyone who reaches the
 * host can use (the API has no authentication). `unix`: the socket itself, when Firedeck runs
 * on the KVM host.
 */
export const transportSchema = z.enum(['ssh-unix', 'ssh-exec', 'tcp', 'unix']);
export type FirecrackerTransport = z.infer<typeof transportSchema>;

/**
 * The transport as stored in hosts.json: `ssh-tcp` (a socat port on the host's loopback, open
 * to every local user of the host) was replaced by `ssh-exec`, so a stored one reads as that.
 */
export const storedTransportSchema = z.preprocess((value) => (value === 'ssh-tcp' ? 'ssh-exec' : value), transportSchema);

export const hostInputSchema = z
  .object({
    label: z.string().trim().min(1, { message: 'Give the host a name.' }).max(100, { message: 'A name has at most 100 characters.' }),
    address: addressSchema,
    port: portSchema.default(22),
    user: userSchema,
    auth: authSchema,
    transport: transportSchema.default('ssh-unix'),
    proxyJump: proxyJumpSchema.optional(),
  })
  .strict();
export type HostInput = z.input<typeof hostInputSchema>;
export type HostConfig = z.output<typeof hostInputSchema>;

export interface HostRecord extends HostConfig {
  id: string;
  createdAt: string;
  /**
   * Connect when the backend starts (absent: yes). Cleared by Disconnect, set again by Connect,
   * so hosts that were connected come back after a restart. Hosts that need a password or
   * passphrase not remembered stay disconnected at start, with the reason.
   */
  connectAtStart?: boolean;
}

export type ConnectionState =
  /** `reason`: why it was not connected on its own, e.g. SECRET_REQUIRED at start. */
  | { state: 'disconnected'; reason?: AppErrorShape }
  | { state: 'connecting' }
  | { state: 'connected'; since: string }
  /** The connection dropped; Firedeck retries on its own. */
  | { state: 'reconnecting'; attempt: number; retryAt: string; error: AppErrorShape }
  /** Firedeck stopped trying: the user must act (trust a key, fix credentials, …). */
  | { state: 'failed'; error: AppErrorShape };

export type KvmVerdict = 'ok' | 'missing' | 'no-virtualization' | 'permission' | 'unknown';
export type Arch = 'x86_64' | 'aarch64';

export interface ToolInfo {
  present: boolean;
  path?: string;
  version?: string;
}

export interface HostProbe {
  probedAt: string;
  /** Normalised `uname -m`; null for an architecture Firecracker does not support. */
  arch: Arch | null;
  machine: string;
  os: string;
  kernel: string;
  cpus: number | null;
  memoryMiB: { total: number | null; available: number | null };
  /** Where Firedeck keeps binaries, images and microVMs on the host. */
  firedeckDir: string;
  diskFreeMiB: number | null;
  sudo: 'passwordless' | 'password-required' | 'missing';
  socat: ToolInfo;
  firecracker: ToolInfo;
  jailer: ToolInfo;
  lima: boolean;
  kvm: { verdict: KvmVerdict; detail: string; remedy?: string };
}

/** The API transport the microVM service really uses on a host, beside the one configured. */
export interface ApiTransportInUse {
  configured: FirecrackerTransport;
  inUse: FirecrackerTransport;
  /** Why it differs from the configured one, e.g. "sshd forbids stream-local forwarding". */
  reason?: string;
}

export interface HostSummary extends HostRecord {
  connection: ConnectionState;
  /**
   * When the host last answered (its connection came up, or a command on it completed), as an
   * ISO time; absent if it has not been connected since the backend started. While the host is
   * not connected, this is what "last seen" means for it and its microVMs.
   */
  lastConnectedAt?: string;
  /** Set by the microVM service once it has reached the API on this host; absent before. */
  apiTransport?: ApiTransportInUse;
  probe?: HostProbe;
  /** Why the last probe failed, when it did. */
  probeError?: AppErrorShape;
  /** A password or passphrase is remembered (encrypted) for this host. */
  secretRemembered: boolean;
}

/** A `Host` block of ~/.ssh/config, resolved as OpenSSH would. */
export interface SshConfigHost {
  alias: string;
  address: string;
  port?: number;
  user?: string;
  identityFile?: string;
  proxyJump?: string;
}

const id = z.string().uuid({ message: 'Unknown host id.' });

export const hostsChannels = {
  'hosts.list': channel<HostSummary[]>()(z.undefined()),
  'hosts.add': channel<HostSummary>()(hostInputSchema),
  'hosts.update': channel<HostSummary>()(z.object({ id, host: hostInputSchema }).strict()),
  'hosts.remove': channel<{ removed: boolean }>()(z.object({ id }).strict()),
  /** `secret` is the password or key passphrase when the host needs one. */
  'hosts.connect': channel<HostSummary>()(
    z.object({ id, secret: z.string().max(4096).optional(), remember: z.boolean().default(false) }).strict(),
  ),
  'hosts.disconnect': channel<HostSummary>()(z.object({ id }).strict()),
  /** Trusts the key the host presented, if its fingerprint is still the one the user saw. */
  'hosts.trustKey': channel<HostSummary>()(
    z.object({ id, fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/), replace: z.boolean().default(false) }).strict(),
  ),
  'hosts.probe': channel<HostProbe>()(z.object({ id }).strict()),
  'hosts.forgetSecret': channel<HostSummary>()(z.object({ id }).strict()),
  'hosts.importSshConfig': channel<SshConfigHost[]>()(z.undefined()),
};
