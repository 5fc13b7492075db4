/**
 * What cgroups this machine has, read the way the jailer reads them (/proc/mounts), and the
 * bookkeeping tests need to take away the cgroup directories a jailed start made.
 */
import { existsSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface CgroupLayout {
  /** The first cgroup2 mount and the controllers its root offers (cgroup.controllers). */
  v2: { mount: string; controllers: string[] } | null;
  /** cgroup v1: controller → its mount point (e.g. cpu → /sys/fs/cgroup/cpu). */
  v1: Record<string, string>;
}

/** Options of a v1 cgroup mount that are not controllers. */
const MOUNT_FLAGS = new Set(['rw', 'ro', 'relatime', 'noatime', 'strictatime', 'nosuid', 'nodev', 'noexec', 'clone_children', 'xattr', 'noprefix']);

export function cgroupLayout(): CgroupLayout {
  let v2: CgroupLayout['v2'] = null;
  const v1: Record<string, string> = {};
  for (const line of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [, dir = '', fstype, options = ''] = line.split(' ');
    if (fstype === 'cgroup2' && !v2) {
      let controllers: string[] = [];
      try {
        controllers = readFileSync(join(dir, 'cgroup.controllers'), 'utf8').trim().split(/\s+/).filter(Boolean);
      } catch {
        // a mount without the file offers nothing
      }
      v2 = { mount: dir, controllers };
    }
    if (fstype === 'cgroup') {
      for (const option of options.split(',')) if (!MOUNT_FLAGS.has(option)) v1[option] ??= dir;
    }
  }
  return { v2, v1 };
}

/** Every mount point a jailer could make directories under (the v2 one and each v1 one). */
export function cgroupMounts(layout: CgroupLayout = cgroupLayout()): string[] {
  return [...new Set([...(layout.v2 ? [layout.v2.mount] : []), ...Object.values(layout.v1)])];
}

/**
 * This process's cgroup path (from /proc/self/cgroup) for a v1 controller, or for the v2
 * hierarchy when none is named, e.g. `/process_api/5575…` — without the leading '/' it is a
 * `--parent-cgroup` that keeps a jailed process inside the test runner's own cgroup.
 */
export function ownCgroup(controller?: string): string {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n')) {
    const [, controllers = '', path = '/'] = line.split(':');
    if (controller === undefined ? controllers === '' : controllers.split(',').includes(controller)) return path;
  }
  throw new Error(`this process is in no ${controller ?? 'v2'} cgroup`);
}

/** What a test must take away after jailed starts under one `--parent-cgroup`. */
export interface CgroupCleanup {
  /** Per mount, the highest directory on the way to `<mount>/<parent>` that did not exist yet. */
  dirs: string[];
  /** The v2 root's subtree_control before, to switch off what the jailer switched on. */
  v2Root: { mount: string; before: string[] } | null;
}

/** Call before the first start that uses `parentCgroup`. */
export function planCgroupCleanup(parentCgroup: string, layout: CgroupLayout = cgroupLayout()): CgroupCleanup {
  const dirs: string[] = [];
  for (const mount of cgroupMounts(layout)) {
    let first: string | null = null;
    for (let dir = join(mount, parentCgroup); dir.startsWith(`${mount}/`); dir = dirname(dir)) {
      if (!existsSync(dir)) first = dir;
      else break;
    }
    if (first) dirs.push(first);
  }
  const v2Root = layout.v2 ? { mount: layout.v2.mount, before: subtreeControl(layout.v2.mount) } : null;
  return { dirs, v2Root };
}

function subtreeControl(dir: string): string[] {
  try {
    return readFileSync(join(dir, 'cgroup.subtree_control'), 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    return [];
  }
}

/** Removes a cgroup directory and every one below it, deepest first (cgroups go by rmdir only). */
export function removeCgroupTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    const child = join(dir, entry);
    if (statSync(child).isDirectory()) removeCgroupTree(child);
  }
  rmdirSync(dir);
}

/**
 * Takes away what the plan recorded. A cgroup whose last process has just been killed can stay
 * busy for a moment: retried until `timeoutMs`.
 */
export async function removeCgroups(cleanup: CgroupCleanup, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const dir of cleanup.dirs) {
    for (;;) {
      try {
        removeCgroupTree(dir);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EBUSY' || Date.now() > deadline) throw err;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }
  if (cleanup.v2Root) {
    for (const controller of subtreeControl(cleanup.v2Root.mount)) {
      if (cleanup.v2Root.before.includes(controller)) continue;
      try {
        writeFileSync(join(cleanup.v2Root.mount, 'cgroup.subtree_control'), `-${controller}\n`);
      } catch {
        // still used below the root by someone else: theirs to keep
      }
    }
  }
}
