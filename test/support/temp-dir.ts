import { mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory per test; `cleanup` removes it. */
export async function makeTempDir(prefix = 'firedeck-test-'): Promise<{ path: string; cleanup(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true, maxRetries: 5 }) };
}

const scratch = new Set<string>();

/**
 * A fresh directory for synchronous test code, removed when its test file ends (vitest's setup
 * file, temp-dir-setup.ts, calls removeScratchDirs after all), so a run leaves none behind.
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.add(dir);
  return dir;
}

export function removeScratchDirs(): void {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  scratch.clear();
}
