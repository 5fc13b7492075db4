/**
 * An sshd test host set up as the wizard leaves a host with sudo: a root-owned Firecracker
 * release in /usr/local/bin (the emulator as `firecracker`, the jailer stand-in, a test double,
 * as `jailer`, as the test mirror's tarballs hold them), the privileged helper and its one sudoers
 * rule for `user`. /usr/local and /etc/sudoers.d are the host's own (tmpfs in its mount
 * namespace): nothing of it reaches this machine or other hosts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HELPER_PATH, HELPER_TEXT } from '../../../electron/network/network-helper';
import { startTestHost } from '../ssh-test-hosts';
import type { TestHost } from '../ssh-test-hosts';
import { emulatorPath } from '../vm-fixtures';
import { recordCreated } from '../test-ledger';
import { installJailerStandIn } from './jailer-stand-in';

const JAIL_ROOT = '/var/lib/firedeck';

export interface JailedHost {
  host: TestHost;
  /** Runs a command as root in the host's mount namespace; returns its stdout. */
  inHost(args: string[], input?: string): string;
  /** Takes the helper's sudoers rule away (VMs then start unjailed) or gives it back. */
  setHelperRule(present: boolean): void;
  /** Has the helper remove what is left of the jails of these VM ids (after a failed run). */
  removeJails(uid: number, ids: string[]): void;
}

export async function startJailedHost(options: { address: string; user: string }): Promise<JailedHost> {
  // The helper makes the jails' base on this machine's own /var/lib (the host shares it).
  if (!existsSync(JAIL_ROOT)) recordCreated({ kind: 'path', path: JAIL_ROOT });
  const host = await startTestHost({ address: options.address, users: [options.user], privateDirs: ['/usr/local', '/etc/sudoers.d'] });
  const inHost = (args: string[], input?: string) =>
    execFileSync('nsenter', ['-t', String(host.pid), '-m', '--', ...args], { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
  inHost(['mkdir', '-p', '/usr/local/bin', '/usr/local/libexec/firedeck']);
  const staged = await mkdtemp(join(tmpdir(), 'fdjail-release-'));
  try {
    await copyFile(emulatorPath, join(staged, 'firecracker'));
    await installJailerStandIn(join(staged, 'jailer'));
    inHost(['install', '-m', '0755', join(staged, 'firecracker'), join(staged, 'jailer'), '/usr/local/bin/']);
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
  inHost(['sh', '-c', `cat > ${HELPER_PATH} && chmod 0755 ${HELPER_PATH}`], HELPER_TEXT);
  const rule = `/etc/sudoers.d/firedeck-${options.user}`;
  const setHelperRule = (present: boolean) => {
    if (present) inHost(['sh', '-c', `cat > ${rule} && chmod 0440 ${rule}`], `${options.user} ALL=(root) NOPASSWD: ${HELPER_PATH}\n`);
    else inHost(['rm', '-f', rule]);
  };
  setHelperRule(true);
  return {
    host,
    inHost,
    setHelperRule,
    removeJails(uid, ids) {
      for (const id of ids) {
        try {
          inHost(['setpriv', `--reuid=${uid}`, `--regid=${uid}`, '--init-groups', '--', 'sudo', '-n', HELPER_PATH, 'jail-stop', String(uid), id]);
        } catch {
          // no rule any more, or nothing to remove
        }
      }
    },
  };
}
