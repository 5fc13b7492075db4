// The whole test suite, in order: type-check, lint, unit + integration (vitest), end-to-end
// (Playwright in Debian's Chromium against browser mode). Every stage runs even after a failure,
// and the last line sums them all: `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureSystemPackages } from './system-deps.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitestJson = `${root}.vitest-results.json`;
const playwrightJson = `${root}.playwright-results.json`;
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(command, args, env = {}) {
  console.log(`\n▶ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;
}

/** A stage that is one check (type-check, lint, build) counts as one test. */
function single(name, ok) {
  totals[ok ? 'passed' : 'failed'] += 1;
  lines.push(`${name}: ${ok ? 'passed' : 'FAILED'}`);
  return ok;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const depsOk = single('system packages', ensureSystemPackages());
single('typecheck', run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']));
single('lint', run('npm', ['run', '--silent', 'lint']));
const built = single('build', run('node', ['scripts/build.mjs', '--quiet']));

rmSync(vitestJson, { force: true });
const vitestOk = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
const vitest = readJson(vitestJson);
if (vitest) {
  const skipped = (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  totals.passed += vitest.numPassedTests;
  totals.failed += vitest.numFailedTests;
  totals.skipped += skipped;
  lines.push(`vitest: ${vitest.numPassedTests} passed, ${vitest.numFailedTests} failed, ${skipped} skipped`);
  // A suite that fails to load has no tests to count; count it as a failure rather than hide it.
  if (!vitestOk && vitest.numFailedTests === 0) single('vitest (suite errors)', false);
} else {
  single('vitest (no results)', false);
}

if (built && depsOk) {
  rmSync(playwrightJson, { force: true });
  const e2eOk = run('npx', ['playwright', 'test'], { FIREDECK_PLAYWRIGHT_JSON: playwrightJson });
  const report = readJson(playwrightJson);
  const stats = report?.stats;
  for (const reason of skipReasons(report?.suites ?? [])) lines.push(`e2e skipped: ${reason}`);
  if (stats) {
    const passed = stats.expected + stats.flaky;
    totals.passed += passed;
    totals.failed += stats.unexpected;
    totals.skipped += stats.skipped;
    lines.push(`e2e: ${passed} passed, ${stats.unexpected} failed, ${stats.skipped} skipped`);
    if (!e2eOk && stats.unexpected === 0) single('e2e (run errors)', false);
  } else {
    single('e2e (no results)', false);
  }
} else {
  single('e2e (not run: build or system packages missing)', false);
}

/** Why Playwright skipped what it skipped, so a skip is never silent. */
function skipReasons(suites) {
  const reasons = [];
  for (const suite of suites) {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue;
        const note = (t.annotations ?? []).find((a) => a.type === 'skip')?.description;
        reasons.push(`${spec.title}${note ? ` (${note})` : ''}`);
      }
    }
    reasons.push(...skipReasons(suite.suites ?? []));
  }
  return reasons;
}

console.log(`\n${lines.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
