import installSource from '../host-scripts/net-helper-install.sh';
import statusSource from '../host-scripts/net-helper-status.sh';
import uninstallSource from '../host-scripts/net-helper-uninstall.sh';
import downSource from '../host-scripts/net-down.sh';
import stateSource from '../host-scripts/net-state.sh';
import upSource from '../host-scripts/net-up.sh';
import { hostScript } from '../ssh/host-script.js';
import type { ScriptFailure } from '../ssh/host-script.js';
import { HELPER_PATH, sudoersPath } from './network-helper.js';

/**
 * The host scripts of guest networking and what their exits mean. Built per host so that each
 * message names the host and the user whose sudoers rule is meant.
 */
export function networkScripts(host: string, user: string) {
  const reinstall = 'Reinstall the network helper from Firedeck (Hosts → this host → Set up host → Network helper → Install), which needs sudo once.';
  const helperSaid = (fallback: string) => (p: { stderr: string }) => p.stderr.split('\n').find((l) => l.startsWith('firedeck-helper: '))?.slice(17) ?? fallback;

  /** Exits of the wrapper scripts that check the helper before using it (net-state, net-up, net-down). */
  const checked: Record<number, ScriptFailure> = {
    40: {
      code: 'HELPER_MISSING',
      message: `The Firedeck network helper is not installed on ${host}, so microVMs there get no network.`,
      remedy: 'Install it once from Firedeck (Hosts → this host → Set up host → Network helper → Install); it needs sudo for that one time. MicroVMs still start without a network meanwhile.',
    },
    41: {
      code: 'HELPER_TAMPERED',
      message: (p) =>
        `TAMPERED: the network helper on ${host} (${HELPER_PATH}) is not the file Firedeck installed: its SHA-256 is ${/sha256=(\w*)/.exec(p.output)?.[1] || 'unreadable'}. Firedeck will not run it.`,
      remedy: `Only root can change that file: if you did not, find out who did. Then reinstall the helper from Firedeck (Hosts → this host → Set up host → Network helper → Install), which puts the shipped text back, or uninstall it.`,
    },
    42: {
      code: 'HELPER_TAMPERED',
      message: `TAMPERED: the network helper on ${host} (${HELPER_PATH}) or its folder can be changed by users other than root. Firedeck will not run it.`,
      remedy: reinstall,
    },
    43: {
      code: 'SUDO_REQUIRED',
      message: `sudo on ${host} would not run the network helper without a password: the rule ${sudoersPath(user)} is missing or overridden.`,
      remedy: reinstall,
    },
  };
  /** The helper's own refusals (see the exit list at the top of firedeck-helper.sh). */
  const refused = (what: string): ScriptFailure => ({ code: 'HELPER_REFUSED', message: helperSaid(`The network helper on ${host} refused to ${what}.`) });
  const helper: Record<number, ScriptFailure> = {
    64: refused('run'),
    65: refused('run'),
    66: refused('act for another user'),
    67: { code: 'HELPER_REFUSED', message: `The network helper on ${host} was not run as root through sudo.`, remedy: reinstall },
    68: refused('accept the microVM id'),
    69: refused('use that address block'),
    70: { code: 'POOL_INVALID', message: helperSaid('The network pool is not one the helper accepts.'), remedy: 'Choose a private IPv4 network from /12 to /30, such as 10.231.0.0/16.' },
    71: {
      code: 'POOL_OVERLAP',
      message: (p) => `${helperSaid('The network pool overlaps a route of the host.')(p)} (on ${host}).`,
      remedy: 'Choose a network pool the host does not route (Settings → Network), such as another 10.x.0.0/16.',
    },
    74: { code: 'NETWORK_TOOL_MISSING', message: (p) => `${helperSaid('A tool is missing.')(p)} (on ${host}).`, remedy: 'Install it on the host (Debian: sudo apt-get install nftables iproute2) and try again.' },
    75: {
      code: 'HOST_COMMAND_FAILED',
      message: (p) => `Setting up the network on ${host} failed and was undone: ${helperSaid('no reason given')(p)}`,
      remedy: 'Check that the host’s kernel has tun, veth and nftables NAT support (modprobe tun veth nf_nat), then try again.',
    },
    76: { code: 'CONFLICT', message: `Another network change on ${host} did not finish within 30 s.`, remedy: 'Try again in a moment.' },
    77: { code: 'NOT_FOUND', message: helperSaid(`That microVM has no network on ${host}.`) },
  };
  const sudo: Record<number, ScriptFailure> = {
    50: { code: 'SUDO_REQUIRED', message: `${host} has no sudo, which installing the network helper needs.`, remedy: 'Install sudo on the host and give your user sudo rights, or have an administrator install the helper.' },
    51: {
      code: 'SUDO_REQUIRED',
      message: `sudo on ${host} asks for a password.`,
      remedy: 'Enter your sudo password in Firedeck: it is passed to sudo once, on standard input, and not kept.',
    },
    52: {
      code: 'SUDO_PASSWORD_WRONG',
      message: `sudo on ${host} refused the password, or ${user} may not use sudo there.`,
      remedy: `Check the password (it is ${user}’s own on ${host}) and that ${user} is in the sudo group, then try again.`,
    },
    56: { code: 'HOST_COMMAND_FAILED', message: (p) => `A step of the helper install on ${host} failed; what it had staged was removed. ${p.stderr.split('\n').slice(-2).join(' ')}`.trim() },
  };

  return {
    status: hostScript({ name: 'net-helper-status', source: statusSource, what: `Checking the network helper on ${host}` }),
    install: hostScript({
      name: 'net-helper-install',
      source: installSource,
      what: `Installing the network helper on ${host}`,
      failures: {
        ...sudo,
        53: { code: 'HOST_COMMAND_FAILED', message: `The user name ${user} cannot name a sudoers.d file (sudo ignores names with a dot).`, remedy: 'Use a host user whose name has only letters, digits, _ and -.' },
        54: { code: 'HOST_COMMAND_FAILED', message: `The helper text arrived on ${host} changed (its SHA-256 differs); nothing was installed.`, remedy: 'Try again; if it keeps happening, something on the way changes what Firedeck sends.' },
        55: { code: 'HOST_COMMAND_FAILED', message: `visudo on ${host} refused the helper’s sudoers rule; nothing was installed.`, remedy: 'Check that sudo on the host is a standard sudo (sudo -V) and that /etc/sudoers.d is included.' },
      },
    }),
    uninstall: hostScript({ name: 'net-helper-uninstall', source: uninstallSource, what: `Removing the network helper from ${host}`, failures: sudo }),
    state: hostScript({ name: 'net-state', source: stateSource, what: `Reading the VM networks on ${host}`, failures: { ...checked, ...helper } }),
    up: hostScript({
      name: 'net-up',
      source: upSource,
      what: `Setting up a microVM network on ${host}`,
      failures: { ...checked, ...helper },
      outcomes: { 72: 'index-taken', 73: 'already-up' },
    }),
    // No helper means no network was ever made: nothing to remove.
    down: hostScript({ name: 'net-down', source: downSource, what: `Removing a microVM network on ${host}`, failures: { 41: checked[41]!, 42: checked[42]!, 43: checked[43]!, ...helper }, outcomes: { 40: 'no-helper' } }),
  };
}

/** `key=value` lines; the last of a key wins, except keys listed in `many` (each value kept). */
export function keyValues(output: string): Map<string, string[]> {
  const facts = new Map<string, string[]>();
  for (const line of output.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const key = line.slice(0, at);
    facts.set(key, [...(facts.get(key) ?? []), line.slice(at + 1)]);
  }
  return facts;
}

/** A `vm=ID netns=yes veth=fdv3 rule=yes vm_dir=no` line of the helper's net-list. */
export function parseVmLine(line: string): Record<string, string> {
  return Object.fromEntries(
    line
      .split(' ')
      .map((pair) => pair.split('='))
      .filter((kv): kv is [string, string] => kv.length === 2),
  );
}
