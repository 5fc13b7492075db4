import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellCommand, shq } from '../../../../electron/ssh/shell-quote';
import { makeTempDir } from '../../../support/temp-dir';

// Every value goes through real shells: dash (/bin/sh on Debian, what remote scripts run
// under) and bash (a common login shell). A quoting mistake shows up as different output, or
// as a payload that ran and created the marker file.
const SHELLS = ['/bin/sh', 'bash'] as const;

// Top-level await: the payloads embed the marker path, and `it.each` needs them at collection.
const dir = await makeTempDir('firedeck-shq-');
const marker = join(dir.path, 'pwned');
afterAll(() => dir.cleanup());

function runIn(shell: string, commandLine: string): string {
  return execFileSync(shell, ['-c', commandLine], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
}

const HOSTILE: [string, string][] = [
  ['command substitution', `$(touch ${marker})`],
  ['backticks', `\`touch ${marker}\``],
  ['single quote', `it's`],
  ['lone single quote', `'`],
  ['breaking out of single quotes', `'; touch ${marker}; '`],
  ['double quotes', `say "$(touch ${marker})"`],
  ['semicolon', `a; touch ${marker}`],
  ['and-and', `true && touch ${marker}`],
  ['pipe and redirect', `x | tee ${marker} > ${marker}`],
  ['newline', `line1\ntouch ${marker}\nline3`],
  ['backslash', 'a\\b'],
  ['double backslash', 'a\\\\b'],
  ['trailing backslash', 'end\\'],
  ['lone backslash', '\\'],
  ['backslash before quote', `\\'; touch ${marker}; echo \\`],
  ['backslash-n sequence', 'a\\nb'],
  ['glob star', '*'],
  ['tilde', '~'],
  ['tilde path', '~/x'],
  ['bang', '!'],
  ['history expansion', '!!'],
  ['dollar variable', '$HOME'],
  ['empty string', ''],
  ['spaces', '  two  spaces  '],
  ['tab', 'a\tb'],
  ['unicode', 'héllo wörld ✓ 日本'],
  ['option-like', '-n'],
  ['option-like with space', '-e -n x'],
  ['hash comment', '# not a comment'],
  ['braces', '{a,b}'],
  ['plain word', 'simple-word_1.2:3=4@5%6+7/8'],
];

describe('shq', () => {
  for (const shell of SHELLS) {
    it.each(HOSTILE)(`${shell} reads %s back as exactly one unchanged word and runs nothing`, (_name, value) => {
      const printed = runIn(shell, `printf '%s' ${shq(value)}`);
      expect.soft(existsSync(marker), 'the payload ran').toBe(false);
      expect(printed).toBe(value);
    });
  }

  it.each(SHELLS)('%s sees one argument per quoted value, even for the empty string', (shell) => {
    const values = ['', 'a b', '*', 'x\\'];
    const printed = runIn(shell, `printf '<%s>' ${values.map(shq).join(' ')}`);
    expect(printed).toBe(values.map((v) => `<${v}>`).join(''));
  });

  it('leaves plain words and numbers unquoted', () => {
    expect(shq('abc-1.2')).toBe('abc-1.2');
    expect(shq(42)).toBe('42');
  });

  it('refuses a NUL byte, which no shell argument can carry', () => {
    expect(() => shq('a\0b')).toThrow(TypeError);
    expect(() => shellCommand('echo', 'ok', '\0')).toThrow(/NUL/);
  });
});

describe('shellCommand', () => {
  it.each(SHELLS)('%s passes each argument through as one word', (shell) => {
    const a = `a b'c"d$(touch ${marker})`;
    const b = 'e\\f;g\nh';
    expect(runIn(shell, shellCommand('printf', '%s|', a, b))).toBe(`${a}|${b}|`);
    expect(existsSync(marker)).toBe(false);
  });

  it('quotes numbers and the program name too', () => {
    expect(runIn('/bin/sh', shellCommand('printf', '%s,', 7, 0, -1))).toBe('7,0,-1,');
    expect(shellCommand('my prog', 'x')).toBe(`'my prog' x`);
  });
});
