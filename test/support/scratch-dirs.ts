import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

/**
 * A fresh directory in the system's temp folder, removed when its test file ends (vitest's
 * setup file, scratch-dirs-setup.ts, calls removeScratchDirs after all), so a run leaves none behind.
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

export function removeScratchDirs(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  made.clear();
}
