import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A stand-in installed helper for the unit tests of the scripts that check and run it: a file
 * in a folder of its own (both root's, as the tests run as root), its SHA-256, a sudoers folder,
 * and a file where stand-in commands record their calls.
 */
export interface HelperFixture {
  dir: string;
  helper: string;
  sha256: string;
  sudoersDir: string;
  calls(): string[];
  /** A stand-in command body that records its arguments (`name [arg] [arg]…`), then runs `then`. */
  recorder(then?: string): string;
  cleanup(): void;
}

export function helperFixture(text = '#!/bin/sh\nprintf "version=1\\n"\n'): HelperFixture {
  const dir = mkdtempSync(join(tmpdir(), 'firedeck-helper-fixture-'));
  chmodSync(dir, 0o755);
  const libexec = join(dir, 'libexec');
  mkdirSync(libexec, { mode: 0o755 });
  const helper = join(libexec, 'firedeck-helper');
  writeFileSync(helper, text, { mode: 0o755 });
  const sudoersDir = join(dir, 'sudoers.d');
  mkdirSync(sudoersDir, { mode: 0o755 });
  const log = join(dir, 'calls');
  writeFileSync(log, '');
  return {
    dir,
    helper,
    sha256: createHash('sha256').update(text).digest('hex'),
    sudoersDir,
    calls: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    recorder: (then = '') => `{ printf '%s' "$(basename "$0")"; for a in "$@"; do printf ' [%s]' "$a"; done; printf '\\n'; } >>'${log}'\n${then}`,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A stand-in sudo: checks `-S` passwords read from stdin against FD_SUDO_PASSWORD, refuses `-n`
 * when FD_SUDO_NEEDS_PASSWORD is set, then runs the command (the tests are root already).
 */
export const sudoStandIn = `mode=
while [ "$#" -gt 0 ]; do
  case $1 in
    -n) mode=n ;;
    -S) mode=S ;;
    -p) shift ;;
    --) shift; break ;;
    *) break ;;
  esac
  shift
done
if [ "$mode" = S ] && [ -n "\${FD_SUDO_PASSWORD:-}" ]; then
  IFS= read -r given || given=
  [ "$given" = "$FD_SUDO_PASSWORD" ] || { printf 'Sorry, try again.\\nsudo: 1 incorrect password attempt\\n' >&2; exit 1; }
elif [ "$mode" = n ] && [ -n "\${FD_SUDO_NEEDS_PASSWORD:-}" ]; then
  printf 'sudo: a password is required\\n' >&2
  exit 1
fi
exec "$@"`;
