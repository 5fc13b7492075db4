import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { scratchDir } from '../../../support/temp-dir';

/**
 * A PATH holding only `tools` (links to this machine's), for a script run that must find some
 * command missing, as a host without it would. dash itself is always there. A tool given as an
 * absolute path is linked under its base name (to pick the system's copy over a user's shim).
 */
export function onlyTools(...tools: string[]): string {
  const dir = scratchDir('fd-tools-');
  for (const tool of new Set(['dash', ...tools])) {
    const target = isAbsolute(tool) ? tool : execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { encoding: 'utf8' }).trim();
    symlinkSync(target, join(dir, basename(tool)));
  }
  return dir;
}
