import type { UnjailedReason, VmJail } from '../../shared/channels/jail.js';

const INSTALL = 'Install the privileged helper in the host setup wizard (Hosts → this host → Set up host → Network helper); new microVMs then start jailed.';

/** What the VM page says about a VM that runs unjailed, per reason. */
export function unjailed(reason: UnjailedReason): Extract<VmJail, { jailed: false }> {
  const say = (message: string, remedy?: string) => ({ jailed: false as const, reason, message, ...(remedy ? { remedy } : {}) });
  switch (reason) {
    case 'helper-missing':
      return say('Not jailed: the privileged helper is not installed on this host, so Firecracker runs as the SSH user.', INSTALL);
    case 'helper-tampered':
      return say('Not jailed: the privileged helper on this host is not the file Firedeck installed, so Firedeck does not run it.', 'Reinstall the helper in the host setup wizard.');
    case 'helper-no-sudo':
      return say('Not jailed: sudo on this host would not run the privileged helper without a password.', 'Reinstall the helper in the host setup wizard (it writes its sudoers rule again).');
    case 'jailer-missing':
      return say('Not jailed: the host has no jailer of the installed Firecracker release.', 'Run the host setup wizard: it installs Firecracker and its jailer.');
    case 'jailer-unsafe':
      return say('Not jailed: the jailer or Firecracker can be changed by the SSH user, and the jailer runs as root.', 'Install Firecracker with sudo (the setup wizard puts it into /usr/local/bin when sudo needs no password).');
    case 'tap-network':
      return say('Not jailed: its tap device is the SSH user’s; a jailed VM needs a network namespace of its own.', 'Create it without a tap device: VMs get their network from the helper.');
    default:
      return say('Not jailed: it was started unjailed (by an older Firedeck, or elsewhere).', INSTALL);
  }
}

const REASONS: readonly UnjailedReason[] = ['helper-missing', 'helper-tampered', 'helper-no-sudo', 'jailer-missing', 'jailer-unsafe', 'tap-network'];

/** `key=value key=value …` (a jail line) as a map. */
export function parseFacts(line: string): Map<string, string> {
  const facts = new Map<string, string>();
  for (const pair of line.trim().split(/\s+/)) {
    const at = pair.indexOf('=');
    if (at > 0) facts.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return facts;
}

/**
 * The run directory's `jail` line (written by jail-start.sh, or `unjailed=REASON` by the start
 * steps) as the VM page shows it. No line: a VM started before jails existed, or elsewhere.
 */
export function jailFromLine(line: string | undefined): VmJail {
  const facts = parseFacts(line ?? '');
  const reason = facts.get('unjailed');
  if (reason !== undefined || !facts.has('chroot')) return unjailed(REASONS.includes(reason as UnjailedReason) ? (reason as UnjailedReason) : 'unknown');
  const number = (key: string) => {
    const value = Number(facts.get(key));
    return Number.isSafeInteger(value) && facts.get(key) !== '' ? value : undefined;
  };
  const list = (key: string) => (facts.get(key) ?? '').split(',').filter(Boolean);
  const cpuMax = facts.get('cpu_max');
  const memoryMax = number('memory_max');
  const cgroup = facts.get('cgroup');
  const netns = facts.get('netns');
  const noFile = number('nofile');
  return {
    jailed: true,
    uid: number('uid') ?? -1,
    gid: number('gid') ?? -1,
    chroot: facts.get('chroot')!,
    cgroup: cgroup && cgroup !== 'none' ? cgroup : null,
    ...(cpuMax ? { cpuMax: cpuMax.replace('/', ' ') } : {}),
    ...(memoryMax !== undefined ? { memoryMaxBytes: memoryMax } : {}),
    cgroupMissing: list('cgroup_missing'),
    seccomp: facts.get('seccomp') !== 'off',
    netns: netns && netns !== 'none' ? netns.replace(/^.*\//, '') : null,
    ...(noFile !== undefined ? { noFile } : {}),
  };
}
