/**
 * What jailer tests make on the machine besides users (see jail-users.ts): a traversable temp
 * directory for chroot bases and exec files, network namespaces, cgroup parents. Everything is
 * named `fdjail-<pid>-…` so the next run can clean what a run that died half-way left.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cgroupLayout, cgroupMounts, ownCgroup, removeCgroupTree } from './cgroup-layout';
import { isAlive, waitUntil } from './jail-cleanup';
import { removeStaleJailUsers } from './jail-users';

const PREFIX = 'fdjail-';
const stale = (name: string) => {
  const match = new RegExp(`^${PREFIX}(\\d+)(-|$)`).exec(name);
  return match !== null && !existsSync(`/proc/${match[1]}`);
};

/** `fdjail-<pid>-<role>`: a name of this test process's own. */
export function testName(role: string): string {
  return `${PREFIX}${process.pid}-${role}`;
}

/**
 * A fresh directory under the temp dir, mode 0755 like the real /srv: a jailed uid can walk
 * down to another jail's root, so what stops it there is that jail's own 0700.
 */
export async function makeJailerTempDir(): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `${PREFIX}${process.pid}-`));
  await chmod(path, 0o755);
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

/** A named network namespace (`ip netns add`), its handle at /run/netns/<name>. */
export function createTestNetns(role: string): { name: string; path: string; remove(): void } {
  const name = testName(role);
  try {
    execFileSync('ip', ['netns', 'delete', name], { stdio: 'ignore' });
  } catch {
    // none left over
  }
  execFileSync('ip', ['netns', 'add', name]);
  return {
    name,
    path: `/run/netns/${name}`,
    remove: () => execFileSync('ip', ['netns', 'delete', name]),
  };
}

/** Where test parents go: each mount's root and the test process's own cgroup (v2, v1 memory). */
function cgroupParentPlaces(): string[] {
  const layout = cgroupLayout();
  const places = new Set(cgroupMounts(layout));
  for (const mount of Object.values(layout.v1)) {
    try {
      places.add(join(mount, ownCgroup('memory')));
    } catch {
      // no v1 memory controller
    }
  }
  return [...places];
}

/** A `--parent-cgroup` of this test process's own, inside its own cgroup where it has one. */
export function testParentCgroup(role: string, controller?: string): string {
  let own = '/';
  try {
    own = ownCgroup(controller);
  } catch {
    // the hierarchy's root, then
  }
  return join(own, testName(role)).replace(/^\/+/, '');
}

/**
 * Takes away what runs of dead test processes left: jailed processes under their temp dirs,
 * the temp dirs, netns, cgroup parents and users.
 */
export async function removeStaleJailerTestState(): Promise<void> {
  const roots: { dev: number; ino: number }[] = [];
  const dirs = readdirSync(tmpdir()).filter(stale).map((name) => join(tmpdir(), name));
  for (const dir of dirs) {
    // <temp>/<base>/<exec name>/<id>/root, at most a few levels down
    const walk = (path: string, depth: number) => {
      if (depth > 5) return;
      let entries: string[];
      try {
        entries = readdirSync(path);
      } catch {
        return;
      }
      for (const entry of entries) {
        const child = join(path, entry);
        try {
          const st = statSync(child);
          if (!st.isDirectory()) continue;
          if (entry === 'root') roots.push(st);
          walk(child, depth + 1);
        } catch {
          // vanished
        }
      }
    };
    walk(dir, 0);
  }
  const victims: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const st = statSync(`/proc/${entry}/root`);
      if (roots.some((root) => root.dev === st.dev && root.ino === st.ino)) victims.push(Number(entry));
    } catch {
      // gone
    }
  }
  for (const pid of victims) process.kill(pid, 'SIGKILL');
  await waitUntil(() => victims.every((pid) => !isAlive(pid)), 'stale jailed processes to end');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });

  let netns: string[] = [];
  try {
    netns = execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((line) => line.split(' ')[0] ?? '');
  } catch {
    // no ip netns
  }
  for (const name of netns.filter(stale)) execFileSync('ip', ['netns', 'delete', name]);

  for (const place of cgroupParentPlaces()) {
    let entries: string[] = [];
    try {
      entries = readdirSync(place);
    } catch {
      continue;
    }
    for (const name of entries.filter(stale)) {
      try {
        removeCgroupTree(join(place, name));
      } catch {
        // still busy: the next run will try again
      }
    }
  }
  removeStaleJailUsers();
}
