import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withArguments } from '../../electron/ssh/host-script';

export interface HelperRun {
  stdout: string;
  stderr: string;
  status: number;
  /** Every stand-in command run, as `name [arg] [arg]…` (nft's script read from stdin follows on its own lines). */
  calls: string[];
  /** What the helper wrote to its own log file (/var/log/firedeck-helper.log, private to the run). */
  logFile: string;
}

export interface HelperWorld {
  /** The caller's uid as sudo would set it (SUDO_UID); null: not run through sudo. */
  sudoUid?: string | null;
  /** What `ip -4 route show table all` prints. */
  routes?: string;
  /** What `ip -o link show type veth` prints. */
  veths?: string;
  /** Network namespaces that exist (/run/netns/NAME). */
  netns?: string[];
  /** What `nft -a list chain ip firedeck postrouting` prints; the table exists when set. */
  hostRules?: string;
  /** A stand-in command whose arguments contain this text fails (exit 2, saying so). */
  failOn?: string;
  /** VM folders that exist under the caller's home (~/.firedeck/vms/ID). */
  vmDirs?: string[];
  /** No syslog: the real logger, with nothing listening on /dev/log (as on this machine and the test hosts). */
  noSyslog?: boolean;
}

const recorder = `rec() { { printf '%s' "$(basename "$0")"; for a in "$@"; do printf ' [%s]' "$a"; done; printf '\\n'; } >>"$FD_WORLD/calls"; }
rec "$@"
if [ -n "\${FD_FAIL:-}" ]; then case " $* " in *"$FD_FAIL"*) printf 'stand-in: failing on purpose\\n' >&2; exit 2 ;; esac; fi`;

const standIns: Record<string, string> = {
  ip: `${recorder}
case "$*" in
  "-4 route show table all") cat "$FD_WORLD/routes" ;;
  "-o link show type veth") cat "$FD_WORLD/veths" ;;
  "link show dev "*) grep -q "^[0-9]*: $4[@:]" "$FD_WORLD/veths" ;;
  "netns add "*) : >"/run/netns/$3" ;;
  "netns del "*) rm -f "/run/netns/$3" ;;
  "netns exec "*) [ "$4" = nft ] && cat >>"$FD_WORLD/calls"; exit 0 ;;
esac`,
  nft: `${recorder}
case "$*" in
  "-f -") cat >>"$FD_WORLD/calls" ;;
  "list table ip firedeck") [ -e "$FD_WORLD/rules" ] ;;
  "-a list chain ip firedeck postrouting" | "list chain ip firedeck postrouting") [ -e "$FD_WORLD/rules" ] && cat "$FD_WORLD/rules" ;;
esac`,
  iptables: recorder,
  sysctl: recorder,
  // Runs what it was given only for `test` (net-list looks at VM folders as the user).
  setpriv: `${recorder}
while [ "$#" -gt 0 ] && [ "$1" != -- ]; do shift; done
[ "\${2-}" = test ] && shift && exec "$@"
exit 0`,
  logger: recorder,
  getent: `${recorder}
[ "$1" = passwd ] && printf 'fdu:x:%s:%s::%s:/bin/sh\\n' "$2" "$2" "$FD_WORLD/home"`,
};

/**
 * Runs the privileged helper under dash as root, in a mount namespace of its own where
 * /usr/local/sbin (first on the helper's fixed PATH) holds stand-ins for ip, nft, iptables,
 * sysctl, setpriv, logger and getent that record their arguments, and /run/netns and /var/log
 * are tmpfs: nothing of the machine's network or logs is touched. Needs root (unshare --mount).
 */
export function runHelper(source: string, args: readonly string[], world: HelperWorld = {}): HelperRun {
  const dir = mkdtempSync(join(tmpdir(), 'firedeck-helper-world-'));
  try {
    mkdirSync(join(dir, 'sbin'));
    for (const [name, body] of Object.entries(standIns)) {
      writeFileSync(join(dir, 'sbin', name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(dir, 'sbin', name), 0o755);
    }
    writeFileSync(join(dir, 'calls'), '');
    writeFileSync(join(dir, 'routes'), world.routes ?? '');
    writeFileSync(join(dir, 'veths'), world.veths ?? '');
    if (world.hostRules !== undefined) writeFileSync(join(dir, 'rules'), world.hostRules);
    for (const vm of world.vmDirs ?? []) mkdirSync(join(dir, 'home', '.firedeck', 'vms', vm), { recursive: true });
    const setup = [
      'set -e',
      'mount -t tmpfs tmpfs /usr/local',
      'mkdir -p /usr/local/sbin /usr/local/libexec/firedeck',
      `cp "$FD_WORLD"/sbin/* /usr/local/sbin/`,
      'mount -t tmpfs tmpfs /run',
      'mkdir /run/netns',
      'mount -t tmpfs tmpfs /var/log',
      ...(world.netns ?? []).map((n) => `: >'/run/netns/${n}'`),
      ...(world.noSyslog ? ['rm /usr/local/sbin/logger'] : []),
      'set +e',
      'dash -c "$1"',
      'status=$?',
      `cat /var/log/firedeck-helper.log >"$FD_WORLD/log" 2>/dev/null`,
      'exit "$status"',
    ].join('\n');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, FD_WORLD: dir, ...(world.failOn ? { FD_FAIL: world.failOn } : {}) };
    const sudoUid = world.sudoUid === undefined ? '1000' : world.sudoUid;
    if (sudoUid !== null) env.SUDO_UID = sudoUid;
    const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', setup, 'sh', withArguments(source, args)], { encoding: 'utf8', env });
    const calls = readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter(Boolean);
    const logFile = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '';
    return { stdout: result.stdout, stderr: result.stderr, status: result.status ?? -1, calls, logFile };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
