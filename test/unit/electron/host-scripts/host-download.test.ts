import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import script from '../../../../electron/host-scripts/host-download.sh';
import { runUnderDash } from '../../../support/host-script-harness';
import { onlyTools } from './tool-path';
import { scratchDir } from '../../../support/temp-dir';

/** A curl stand-in: writes its -o file and exits as told. */
const curl = (exit: number) => `while [ $# -gt 1 ]; do [ "$1" = -o ] && out=$2; shift; done; printf 'body of %s' "$1" > "$out"; exit ${exit}`;

describe('host-download.sh under dash', () => {
  const run = (exit: number | null) => {
    const home = scratchDir('fd-dl-');
    const standIns: Record<string, string> = exit === null ? {} : { curl: curl(exit) };
    const env = exit === null ? { HOME: home, PATH: onlyTools('mkdir', 'rm', 'mv', 'dirname') } : { HOME: home };
    return { home, result: runUnderDash(script, ['http://mirror/v1/f.tgz', '.firedeck/downloads/f.tgz'], { standIns, env }) };
  };

  it('puts the complete file under its name', () => {
    const { home, result } = run(0);
    expect(result.status).toBe(0);
    expect(readFileSync(join(home, '.firedeck/downloads/f.tgz'), 'utf8')).toBe('body of http://mirror/v1/f.tgz');
    expect(readdirSync(join(home, '.firedeck/downloads'))).toEqual(['f.tgz']);
  });

  it.each([
    [22, 22, 'an HTTP error'],
    [7, 20, 'cannot connect'],
    [6, 20, 'cannot resolve'],
    [28, 20, 'timed out'],
    [23, 21, 'other failure'],
  ])('curl exit %i becomes exit %i (%s) and leaves no part file', (curlExit, exit) => {
    const { home, result } = run(curlExit);
    expect(result.status).toBe(exit);
    if (exit === 21) expect(result.stdout).toBe(`curl exit ${curlExit}\n`);
    expect(readdirSync(join(home, '.firedeck/downloads'))).toEqual([]);
  });

  it('exits 10 when the host has no curl', () => {
    const { home, result } = run(null);
    expect(result.status).toBe(10);
    expect(existsSync(join(home, '.firedeck'))).toBe(false);
  });
});
