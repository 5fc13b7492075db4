import { execFileSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PATH holding only `tools` (links to this machine's), for a script run that must find some
 * command missing, as a host without it would. dash itself is always there.
 */
export function onlyTools(...tools: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'fd-tools-'));
  for (const tool of new Set(['dash', ...tools])) symlinkSync(execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { encoding: 'utf8' }).trim(), join(dir, tool));
  return dir;
}
