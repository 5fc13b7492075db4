import jailCheckSource from '../host-scripts/jail-check.sh';
import jailSnapshotSource from '../host-scripts/jail-snapshot.sh';
import jailStartSource from '../host-scripts/jail-start.sh';
import jailStopSource from '../host-scripts/jail-stop.sh';
import jailSweepSource from '../host-scripts/jail-sweep.sh';
import { hostScript } from '../ssh/host-script.js';
import type { ScriptFailure } from '../ssh/host-script.js';

/** The helper's refusal text (its stderr line, or the report jail-start.sh prints). */
const helperSaid = (fallback: string) => (p: { output: string; stderr: string }) =>
  `${p.stderr}\n${p.output}`.split('\n').find((l) => l.startsWith('firedeck-helper: '))?.slice(17) ?? fallback;

const reinstall = 'Reinstall the privileged helper from Firedeck (Hosts → this host → Network helper → Install), which needs sudo once.';

/** Exits shared by every script that runs the helper's jail subcommands (see firedeck-helper.sh). */
const helperExits: Record<number, ScriptFailure> = {
  40: { code: 'HELPER_MISSING', message: 'The Firedeck privileged helper is not installed on this host, so its microVMs cannot be jailed.', remedy: reinstall },
  41: { code: 'HELPER_TAMPERED', message: 'TAMPERED: the privileged helper on this host is not the file Firedeck installed. Firedeck will not run it.', remedy: reinstall },
  42: { code: 'HELPER_TAMPERED', message: 'TAMPERED: the privileged helper on this host or its folder can be changed by users other than root. Firedeck will not run it.', remedy: reinstall },
  43: { code: 'SUDO_REQUIRED', message: 'sudo on this host would not run the privileged helper without a password.', remedy: reinstall },
  64: { code: 'HELPER_REFUSED', message: helperSaid('The privileged helper refused the jail’s arguments.') },
  65: { code: 'HELPER_REFUSED', message: helperSaid('The privileged helper refused a path of the jail.'), remedy: 'Keep host paths to letters, digits, ".", "_", "-" and "/".' },
  66: { code: 'HELPER_REFUSED', message: helperSaid('The privileged helper refused to act for another user.') },
  68: { code: 'HELPER_REFUSED', message: helperSaid('The privileged helper refused the microVM id.') },
  74: { code: 'HOST_COMMAND_FAILED', message: helperSaid('A tool the jail needs is missing on the host.'), remedy: 'Install util-linux on the host.' },
  75: { code: 'HOST_COMMAND_FAILED', message: helperSaid('The jail could not be removed whole.'), remedy: 'Try again; if it stays, look at the processes of the jail uid on the host.' },
  76: { code: 'CONFLICT', message: 'Another change by the privileged helper did not finish within 30 s.', remedy: 'Try again in a moment.' },
  77: { code: 'NOT_FOUND', message: helperSaid('The microVM’s network namespace does not exist.') },
  78: { code: 'HELPER_REFUSED', message: helperSaid('A file for the jail is not the SSH user’s own regular file.'), remedy: 'Use a kernel and root filesystem from the host’s images (~/.firedeck/images).' },
  79: { code: 'HELPER_REFUSED', message: helperSaid('The VM’s disk is on another filesystem than the jails.'), remedy: 'Keep ~/.firedeck on the filesystem that holds /var/lib, or run the VM unjailed by uninstalling the helper.' },
  80: { code: 'HELPER_REFUSED', message: helperSaid('No jail uid is free.'), remedy: 'Choose a larger jail uid range in Settings → Jail, or delete microVMs you no longer need.' },
  81: { code: 'HELPER_REFUSED', message: helperSaid('The jailer or Firecracker can be changed by users other than root.'), remedy: 'Install Firecracker with sudo (the setup wizard puts it into /usr/local/bin when sudo needs no password).' },
  82: { code: 'CONFLICT', message: helperSaid('The microVM’s jail exists already.'), remedy: 'Delete the microVM (that removes its jail), then create it again.' },
  83: {
    code: 'FIRECRACKER_EXITED',
    message: ({ output }) => `The jailer failed: ${output.split('\n').filter(Boolean).slice(-5).join(' / ')}`,
    remedy: 'Check the Firecracker installation on the host (Hosts → Details); the console log has the jailer’s whole message.',
  },
  84: { code: 'FIRECRACKER_TIMEOUT', message: 'Firecracker in its jail did not open its API socket within 5 s.', remedy: 'Check the host’s load, then try again.' },
  85: { code: 'NOT_FOUND', message: helperSaid('The microVM has no jail, or its jail holds no snapshot.') },
  86: { code: 'INVALID_INPUT', message: helperSaid('The privileged helper refused a number of the jail.'), remedy: 'Check the jail uid range in Settings → Jail.' },
};

/** DIR HELPER SHA256 JAILER FIRECRACKER TAP — verdict=jail or the reason it cannot be (see jail-check.sh). */
export const jailCheck = hostScript({ name: 'jail-check', source: jailCheckSource, what: 'Checking whether microVMs can be jailed' });

/** DIR HELPER SHA256 VMID UID_MIN UID_MAX MODE VCPUS MEM_MIB OVERHEAD_MIB NETNS JAILER FIRECRACKER KERNEL [SNAPSHOT_DIR] */
export const jailStart = hostScript({
  name: 'jail-start',
  source: jailStartSource,
  what: 'Starting Firecracker in its jail',
  failures: {
    ...helperExits,
    5: { code: 'HOST_COMMAND_FAILED', message: 'The microVM’s run directory has no disk of its own (rootfs.ext4) to jail.', remedy: 'Delete the microVM and create it again.' },
  },
});

/** DIR HELPER SHA256 VMID — a no-op for a VM that is not jailed. */
export const jailStop = hostScript({ name: 'jail-stop', source: jailStopSource, what: 'Removing the microVM’s jail', failures: helperExits });

/** DIR HELPER SHA256 VMID NAME prepare|export — a no-op for a VM that is not jailed. */
export const jailSnapshot = hostScript({ name: 'jail-snapshot', source: jailSnapshotSource, what: 'Taking the snapshot out of the jail', failures: helperExits });

/**
 * VMS HELPER SHA256 list|sweep — the SSH user's jails (and, with sweep, the removal of those whose
 * run directory is gone). A host without a usable helper is an answer here, not a failure.
 */
export const jailSweep = hostScript({
  name: 'jail-sweep',
  source: jailSweepSource,
  what: 'Listing the microVM jails',
  failures: helperExits,
  outcomes: { 40: 'helper-missing', 41: 'helper-tampered', 42: 'helper-tampered', 43: 'helper-no-sudo' },
});
