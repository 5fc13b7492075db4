import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { FsJail } from '../electron/workspaces/fs-jail';
import { opsPerSecond } from './harness';
import type { BenchResult } from './harness';

const ROUND_MS = Number(process.env.BENCH_FSJAIL_MS ?? 700);

/**
 * FsJail.resolve on a mix of inputs (existing files, new files, `..`, a link, new folders)
 * against two baselines on the same inputs:
 * - the floor: one `realpathSync.native` of the same path (the one filesystem call the jail
 *   cannot do without; a path that does not exist yet makes it throw, as it does in the jail);
 * - the naive check it replaces (path.resolve + startsWith, which knows nothing of symlinks).
 */
export async function benchFsJail(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'firedeck-bench-jail-'));
  try {
    const root = join(dir, 'root');
    await mkdir(join(root, 'src', 'lib'), { recursive: true });
    for (let i = 0; i < 50; i++) await writeFile(join(root, 'src', 'lib', `file${i}.ts`), '');
    await symlink(join(root, 'src'), join(root, 'src-link'));
    const inputs = Array.from({ length: 200 }, (_, i) =>
      [`src/lib/file${i % 50}.ts`, `src/new-${i}.txt`, `src/lib/../lib/file${i % 50}.ts`, `src-link/lib/file${i % 50}.ts`, `build/out-${i}/a.js`][i % 5]!,
    );
    const jail = await FsJail.open(root);
    const canonical = jail.root;
    let i = 0;
    const naive = () => {
      const path = resolve(canonical, inputs[i++ % inputs.length]!);
      return path.startsWith(canonical + sep);
    };
    const floor = () => {
      try {
        return realpathSync.native(canonical + sep + inputs[i++ % inputs.length]!);
      } catch {
        return null;
      }
    };
    const jailed = () => jail.resolve(inputs[i++ % inputs.length]!);
    // Alternate, and keep the better of three rounds each, so no side pays for warm-up alone.
    let [naiveOps, floorOps, jailOps] = [0, 0, 0];
    for (let round = 0; round < 3; round++) {
      naiveOps = Math.max(naiveOps, await opsPerSecond(naive, ROUND_MS));
      floorOps = Math.max(floorOps, await opsPerSecond(floor, ROUND_MS));
      jailOps = Math.max(jailOps, await opsPerSecond(jailed, ROUND_MS));
    }
    const us = (ops: number) => 1e6 / ops;
    return [
      {
        name: 'fsjail.resolve vs one realpath (floor)',
        unit: 'µs',
        value: us(jailOps),
        baseline: us(floorOps),
        ratio: floorOps / jailOps,
        target: '<= 1.5',
        note:
          'Time per call; the floor is one realpathSync.native of the same path, which throws for the paths that do not exist yet (two in five inputs), as it does inside the jail. ' +
          'For those the jail also finds the deepest existing folder, without exceptions.',
      },
      {
        name: 'fsjail.resolve vs string check',
        unit: 'ops/s',
        value: jailOps,
        baseline: naiveOps,
        ratio: jailOps / naiveOps,
        target: '>= 0.2',
        note:
          'The baseline only compares strings. FsJail must ask the filesystem where each path really lands (one realpath(3) per call); ' +
          'that call is the symlink check itself, and caching its answer across calls would reopen the race the jail exists to close.',
      },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
