/**
 * Test-only cleanup of what a jailed start leaves: the processes running in the jail, the
 * cgroup directories `<mount>/<parent>/<id>` and the jail directory. (The jail's mounts live in
 * its private mount namespace and go with its last process.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cgroupMounts, removeCgroupTree } from './cgroup-layout';
import { chrootDir, jailDir, pidFile } from './jailer-stand-in';
import type { JailSpec } from './jailer-stand-in';

/** Pids whose `/` is this directory (what `stat -L /proc/PID/root` says), and the pid file's. */
export function processesInJail(spec: JailSpec): number[] {
  const found = new Set<number>();
  let root: { dev: number; ino: number };
  try {
    root = statSync(chrootDir(spec));
  } catch {
    return [];
  }
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const st = statSync(`/proc/${entry}/root`);
      if (st.dev === root.dev && st.ino === root.ino) found.add(Number(entry));
    } catch {
      // gone, or a kernel thread
    }
  }
  try {
    const pid = Number(readFileSync(pidFile(spec), 'utf8'));
    if (pid > 0 && isAlive(pid)) found.add(pid);
  } catch {
    // no pid file
  }
  return [...found];
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie still answers signal 0; it holds nothing any more.
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Polls `check` until it holds, at most `timeoutMs`; throws `what` if it never does. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** SIGKILLs what runs in the jail and waits until it is gone. */
export async function killJailed(spec: JailSpec): Promise<void> {
  const pids = processesInJail(spec);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await waitUntil(() => pids.every((pid) => !isAlive(pid)), `the processes of jail ${spec.id} to end`);
}

/**
 * Removes a jail entirely: its processes, its cgroup directory under every cgroup mount (with
 * `parentCgroup` as given to the jailer; default the exec file's name) and `<base>/<name>/<id>`.
 */
export async function removeJail(spec: JailSpec & { parentCgroup?: string }): Promise<void> {
  await killJailed(spec);
  for (const mount of cgroupMounts()) {
    const dir = join(mount, spec.parentCgroup ?? spec.execFileName, spec.id);
    await waitUntil(() => {
      try {
        removeCgroupTree(dir);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EBUSY') return false;
        throw err;
      }
    }, `cgroup ${dir} to empty`);
  }
  await rm(jailDir(spec), { recursive: true, force: true });
}
