import { readdirSync, readFileSync } from 'node:fs';

/** Every descendant of `pid` (children first in the list's tail), read from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // the process ended while we looked
    }
    // The command name may hold spaces and parentheses; the ppid follows the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const result: number[] = [];
  const walk = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      result.push(child);
      walk(child);
    }
  };
  walk(pid);
  return result;
}

/** SIGKILLs a process and everything it started, as a crash or `kill -9` of a daemon would. */
export function killTree(pid: number): void {
  for (const child of [pid, ...descendants(pid)]) {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
