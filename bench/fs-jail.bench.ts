import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { FsJail } from '../electron/workspaces/fs-jail';
import { opsPerSecond } from './harness';
import type { BenchResult } from './harness';

/**
 * FsJail.resolve against the naive check it replaces (path.resolve + startsWith, which knows
 * nothing of symlinks), on the same inputs: existing files, new files, `..` and a link.
 */
export async function benchFsJail(): Promise<BenchResult> {
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
    const jailed = () => jail.resolve(inputs[i++ % inputs.length]!);
    // Alternate, and keep the better of two rounds each, so neither side pays for warm-up alone.
    let baseline = 0;
    let value = 0;
    for (let round = 0; round < 2; round++) {
      baseline = Math.max(baseline, await opsPerSecond(naive, 700));
      value = Math.max(value, await opsPerSecond(jailed, 700));
    }
    return {
      name: 'fsjail.resolve',
      unit: 'ops/s',
      value,
      baseline,
      ratio: value / baseline,
      target: '>= 0.2',
      note:
        'The baseline only compares strings. FsJail must ask the filesystem where each path really lands (one realpath(3) per call, more for new or dangling paths); ' +
        'that call is the symlink check itself, and caching its answer across calls would reopen the race the jail exists to close.',
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
