// `npm run bench [-- NAME…]`: bundles bench/run.ts with esbuild and runs it in plain Node.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { buildEmulator } from '../test/support/firecracker-emulator/build.mjs';
import { ensureSystemPackages } from './system-deps.mjs';

const root = new URL('..', import.meta.url).pathname;
// The benches drive the same real parts as the tests (sshd, socat, QEMU): install them first.
if (!ensureSystemPackages()) process.exit(1);
await build({
  entryPoints: ['bench/run.ts'],
  outfile: 'dist/bench/run.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  loader: { '.sh': 'text' },
  absWorkingDir: root,
  logLevel: 'warning',
});
await buildEmulator(); // the Firecracker API emulator the benchmarks install on their test hosts
// --expose-gc: the memory benches collect garbage before each reading, so they compare what is kept.
const result = spawnSync(process.execPath, ['--expose-gc', 'dist/bench/run.mjs', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
