import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GuestSshCommand } from '../../shared/channels/guest.js';
import type { HostSummary } from '../../shared/channels/hosts.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { createSerialQueue } from '../store/serial-queue.js';
import { shq } from '../ssh/shell-quote.js';
import type { GuestTarget } from './guest-connect.js';

/** One guest's entry: how the host is reached (the jump) and how the host reaches the guest. */
export interface GuestSshEntry {
  hostId: string;
  vmId: string;
  alias: string;
  keyAlias: string;
  guest: GuestTarget;
  jump: { alias: string; address: string; port: number; user: string; identityFile?: string; proxyJump?: string };
}

export interface GuestSshPaths {
  /** <data>/ssh_config: one entry per guest, for `Include` from ~/.ssh/config. */
  config: string;
  /** <data>/guest_known_hosts: guest host keys recorded on first use, by HostKeyAlias. */
  knownHosts: string;
  /** <data>/known_hosts: host keys trusted in Firedeck (the jump hosts). */
  appKnownHosts: string;
  /** <data>/guest-keys/id_ed25519 (0600). */
  key: string;
}

export function guestSshPaths(dataDir: string): GuestSshPaths {
  return {
    config: join(dataDir, 'ssh_config'),
    knownHosts: join(dataDir, 'guest_known_hosts'),
    appKnownHosts: join(dataDir, 'known_hosts'),
    key: join(dataDir, 'guest-keys', 'id_ed25519'),
  };
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'host';

/** `VM.HOST.firedeck`: readable in Terminal and VS Code's host list; the host part from its label. */
export const guestAlias = (host: Pick<HostSummary, 'label'>, vmId: string) => `${vmId}.${slug(host.label)}.firedeck`;
/** Stable across label changes: the name the guest's host key is recorded under. */
export const guestKeyAlias = (hostId: string, vmId: string) => `firedeck-guest-${hostId}-${vmId}`;
const jumpAlias = (host: Pick<HostSummary, 'id' | 'label'>) => `firedeck-host-${slug(host.label)}-${host.id.slice(0, 8)}`;

export function entryFor(host: HostSummary, vmId: string, guest: GuestTarget): GuestSshEntry {
  return {
    hostId: host.id,
    vmId,
    alias: guestAlias(host, vmId),
    keyAlias: guestKeyAlias(host.id, vmId),
    guest,
    jump: {
      alias: jumpAlias(host),
      address: host.address,
      port: host.port,
      user: host.user,
      ...(host.auth.method === 'key' ? { identityFile: host.auth.keyPath } : {}),
      ...(host.proxyJump ? { proxyJump: host.proxyJump } : {}),
    },
  };
}

/** ssh_config quoting: a value with spaces in double quotes (OpenSSH has no escape inside them). */
const cfg = (value: string | number) => (/^[^\s"#]+$/.test(String(value)) ? String(value) : `"${String(value)}"`);

export function renderSshConfig(entries: GuestSshEntry[], paths: GuestSshPaths): string {
  const lines = [
    '# Written by Firedeck: one entry per microVM guest. Do not edit; Firedeck rewrites it.',
    `# Use it from ~/.ssh/config with:  Include ${cfg(paths.config)}`,
    '',
  ];
  const jumps = new Map(entries.map((e) => [e.jump.alias, e.jump]));
  for (const jump of jumps.values()) {
    lines.push(
      `Host ${jump.alias}`,
      `  HostName ${cfg(jump.address)}`,
      `  Port ${jump.port}`,
      `  User ${cfg(jump.user)}`,
      ...(jump.identityFile ? [`  IdentityFile ${cfg(jump.identityFile)}`] : []),
      ...(jump.proxyJump ? [`  ProxyJump ${cfg(jump.proxyJump)}`] : []),
      // Host keys trusted in Firedeck, then the user's own.
      `  UserKnownHostsFile ${cfg(paths.appKnownHosts)} ~/.ssh/known_hosts`,
      '',
    );
  }
  for (const entry of entries) {
    lines.push(
      `Host ${entry.alias}`,
      `  HostName ${cfg(entry.guest.host)}`,
      `  Port ${entry.guest.port}`,
      `  User ${cfg(entry.guest.user)}`,
      `  IdentityFile ${cfg(paths.key)}`,
      '  IdentitiesOnly yes',
      `  ProxyJump ${entry.jump.alias}`,
      `  HostKeyAlias ${entry.keyAlias}`,
      `  UserKnownHostsFile ${cfg(paths.knownHosts)}`,
      // Firedeck recorded the key on its first connection; a guest reached before that is recorded by ssh.
      '  StrictHostKeyChecking accept-new',
      '',
    );
  }
  return lines.join('\n');
}

export function sshCommandFor(entry: GuestSshEntry, paths: GuestSshPaths): GuestSshCommand {
  const jump = `${entry.jump.user}@${entry.jump.address.includes(':') ? `[${entry.jump.address}]` : entry.jump.address}:${entry.jump.port}`;
  return {
    alias: entry.alias,
    // For the user to paste into a terminal on this computer; every value quoted as the shell reads it.
    command: ['ssh', '-F', shq(paths.config), shq(entry.alias)].join(' '),
    spelledOut: [
      'ssh',
      '-i', shq(paths.key),
      '-o', 'IdentitiesOnly=yes',
      '-o', shq(`UserKnownHostsFile=${paths.knownHosts}`),
      '-o', `HostKeyAlias=${entry.keyAlias}`,
      '-J', shq(jump),
      ...(entry.guest.port !== 22 ? ['-p', String(entry.guest.port)] : []),
      shq(`${entry.guest.user}@${entry.guest.host}`),
    ].join(' '),
    configPath: paths.config,
    keyPath: paths.key,
    includeLine: `Include ${cfg(paths.config)}`,
  };
}

/** The entries behind ssh_config, kept beside it (guest-ssh.json) so a restart rewrites the same file. */
export function createGuestSshConfig(dataDir: string) {
  const paths = guestSshPaths(dataDir);
  const store = join(dataDir, 'guest-ssh.json');
  const queue = createSerialQueue();
  let entries: Map<string, GuestSshEntry> | undefined;
  const load = async () => {
    if (entries) return entries;
    const text = await readFile(store, 'utf8').catch(() => '[]');
    let list: GuestSshEntry[] = [];
    try {
      list = JSON.parse(text) as GuestSshEntry[];
    } catch {
      list = []; // rebuilt from the guests as they are reached
    }
    entries = new Map(list.map((e) => [`${e.hostId}/${e.vmId}`, e]));
    return entries;
  };
  const save = async (map: Map<string, GuestSshEntry>) => {
    const list = [...map.values()].sort((a, b) => a.alias.localeCompare(b.alias));
    await writeFileAtomic(store, `${JSON.stringify(list, null, 2)}\n`, 0o600);
    await writeFileAtomic(paths.config, renderSshConfig(list, paths), 0o600);
  };
  return {
    paths,
    put: (entry: GuestSshEntry) =>
      queue.run(async () => {
        const map = await load();
        const key = `${entry.hostId}/${entry.vmId}`;
        if (JSON.stringify(map.get(key)) === JSON.stringify(entry)) return;
        map.set(key, entry);
        await save(map);
      }),
    remove: (hostId: string, vmId: string) =>
      queue.run(async () => {
        const map = await load();
        if (!map.delete(`${hostId}/${vmId}`)) return;
        await save(map);
      }),
  };
}
