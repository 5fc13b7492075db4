// Lints every host script (electron/host-scripts/**/*.sh) with shellcheck as POSIX sh: they run
// under the host's /bin/sh, which is dash on Debian and busybox ash elsewhere.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../electron/host-scripts/', import.meta.url));
const scripts = readdirSync(dir, { recursive: true }).filter((name) => name.endsWith('.sh')).map((name) => join(dir, name));
const check = spawnSync('shellcheck', ['--version'], { stdio: 'ignore' });
if (check.error || check.status !== 0) {
  console.error('shellcheck is not installed (Debian: apt-get install shellcheck); host scripts were not checked.');
  process.exit(1);
}
const result = spawnSync('shellcheck', ['--shell=sh', '--severity=style', '--external-sources', ...scripts], { stdio: 'inherit' });
if (result.status === 0) console.log(`shellcheck: ${scripts.length} host scripts clean`);
process.exit(result.status ?? 1);
