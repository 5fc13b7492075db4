/**
 * System users and groups of a test's own, to jail VMs as (`--uid`/`--gid`) or to stand for an
 * SSH user with a home. Named `fdjail-<pid>-<role>` (pid of the test process), so a run that died
 * half-way is recognised and cleaned by the next one, and concurrent test files never share one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { recordCreatedUser, shadow as shadowTool } from '../test-ledger';

export interface JailUser {
  name: string;
  uid: number;
  gid: number;
  /** Set when the user was made with a home. */
  home?: string;
}

const PREFIX = 'fdjail-';

/**
 * A new system user with a group of its own; with `home`, also /home/<name> (mode 0755). Its
 * shell is nologin unless `shell` says otherwise (e.g. /bin/bash for an SSH login).
 */
export function createJailUser(role: string, options: { home?: boolean; shell?: string } = {}): JailUser {
  const name = `${PREFIX}${process.pid}-${role}`;
  if (name.length > 32) throw new Error(`user name too long: ${name}`);
  removeJailUser(name);
  const home = options.home ? `/home/${name}` : undefined;
  shadowTool('useradd', ['--system', '--user-group', '--shell', options.shell ?? '/usr/sbin/nologin', ...(home ? ['--create-home', '--home-dir', home] : ['--no-create-home', '--home-dir', '/nonexistent']), name]);
  recordCreatedUser(name);
  if (home) execFileSync('chmod', ['0755', home]);
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  return { name, uid, gid, home };
}

/** Removes the user, its group and its home (if any); nothing if it does not exist. */
export function removeJailUser(user: JailUser | string): void {
  const name = typeof user === 'string' ? user : user.name;
  const entry = passwdEntries().find((fields) => fields.name === name);
  if (!entry) return;
  // --remove only where there is a home: userdel fails on a missing one.
  shadowTool('userdel', existsSync(entry.home) && entry.home.startsWith(`/home/${PREFIX}`) ? ['--remove', name] : [name]);
  if (groupNames().includes(name)) shadowTool('groupdel', [name]);
}

/** Users of runs whose test process is gone. */
export function removeStaleJailUsers(): void {
  for (const { name } of passwdEntries()) {
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (match && !existsSync(`/proc/${match[1]}`)) removeJailUser(name);
  }
}

function passwdEntries(): { name: string; home: string }[] {
  return readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const fields = line.split(':');
      return { name: fields[0] ?? '', home: fields[5] ?? '' };
    });
}

function groupNames(): string[] {
  return readFileSync('/etc/group', 'utf8').split('\n').map((line) => line.split(':')[0] ?? '').filter(Boolean);
}
