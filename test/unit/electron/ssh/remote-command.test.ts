import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { frameScript } from '../../../../electron/ssh/remote-command';

/**
 * Runs a framed command the way sshd does (through the user's login shell), with a login shell
 * that prints noise first, including a fake END marker of some other nonce.
 */
function runThroughNoisyLoginShell(command: string, env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync('bash', ['-c', `echo 'Welcome to host!'; echo __FIREDECK_END_fake__ 0; printf 'no newline noise'; ${command}`], {
    encoding: 'utf8',
    env,
  });
  if (result.error) throw result.error;
  return result.stdout;
}

function run(script: string) {
  const framed = frameScript(script);
  const stdout = runThroughNoisyLoginShell(framed.command);
  return { framed, stdout, parsed: framed.parse(stdout) };
}

describe('frameScript', () => {
  it('returns only the script output and exit code 0, not the login shell noise', () => {
    const { parsed } = run(`echo hello; echo world`);
    expect(parsed).toEqual({ output: 'hello\nworld\n', exitCode: 0 });
  });

  it('reports the script exit code, with the output printed before it exited', () => {
    const { parsed } = run(`echo partial; exit 3`);
    expect(parsed).toEqual({ output: 'partial\n', exitCode: 3 });
  });

  it('runs the script under umask 077, whatever the login shell set', () => {
    const framed = frameScript('umask');
    const result = spawnSync('bash', ['-c', `umask 022; ${framed.command}`], { encoding: 'utf8' });
    expect(framed.parse(result.stdout)).toEqual({ output: '0077\n', exitCode: 0 });
  });

  it('reports the status of the last command when the script does not exit explicitly', () => {
    expect(run(`echo x; false`).parsed).toEqual({ output: 'x\n', exitCode: 1 });
  });

  it('keeps output without a trailing newline exact', () => {
    expect(run(`printf 'no newline'`).parsed).toEqual({ output: 'no newline', exitCode: 0 });
  });

  it('returns empty output for a silent script', () => {
    expect(run(`true`).parsed).toEqual({ output: '', exitCode: 0 });
  });

  it('keeps marker-like text of another nonce in the output', () => {
    const script = `echo before; echo __FIREDECK_BEGIN_0123456789abcdef__; echo __FIREDECK_END_0123456789abcdef__ 7; echo after`;
    expect(run(script).parsed).toEqual({
      output: 'before\n__FIREDECK_BEGIN_0123456789abcdef__\n__FIREDECK_END_0123456789abcdef__ 7\nafter\n',
      exitCode: 0,
    });
  });

  it('nests: a framed command run inside another frame parses at both levels', () => {
    const inner = frameScript(`echo inner; exit 5`);
    // The framed command ends in `exec`, so it gets its own subshell here.
    const { parsed: outer } = run(`( ${inner.command} ); echo "inner status $?"`);
    expect(outer?.exitCode).toBe(0);
    expect(outer?.output).toMatch(/inner status 0\n$/);
    expect(inner.parse(outer?.output ?? '')).toEqual({ output: 'inner\n', exitCode: 5 });
  });

  it('survives a trailing comment and quotes in the script', () => {
    const script = `echo "it's \\"quoted\\"" # a trailing comment must not swallow the frame`;
    expect(run(script).parsed).toEqual({ output: `it's "quoted"\n`, exitCode: 0 });
  });

  it('passes backslashes outside single quotes through to /bin/sh unchanged', () => {
    // The script text is: printf '%s' "C:\\dir"  (in double quotes, POSIX sh reads \\ as one backslash).
    const script = String.raw`printf '%s' "C:\\dir"`;
    expect(run(script).parsed).toEqual({ output: 'C:\\dir', exitCode: 0 });
  });

  it('runs the script with LC_ALL=C whatever the login environment says', () => {
    const framed = frameScript(`echo "$LC_ALL"`);
    const stdout = runThroughNoisyLoginShell(framed.command, { ...process.env, LC_ALL: 'de_DE.UTF-8' });
    expect(framed.parse(stdout)).toEqual({ output: 'C\n', exitCode: 0 });
  });

  it('returns null when the output was cut off before the END marker', () => {
    const { framed, stdout } = run(`echo one; echo two`);
    const end = stdout.lastIndexOf('\n__FIREDECK_END_');
    expect(end).toBeGreaterThan(0);
    expect(framed.parse(stdout.slice(0, end))).toBeNull();
    expect(framed.parse(stdout.slice(0, end + 5))).toBeNull();
  });

  it('returns null when the script never started (no BEGIN marker)', () => {
    const framed = frameScript(`echo hi`);
    expect(framed.parse('Welcome to host!\n__FIREDECK_END_fake__ 0\n')).toBeNull();
    expect(framed.parse('')).toBeNull();
  });

  it('uses a fresh nonce per call, so one call cannot parse another call’s output', () => {
    const a = frameScript(`echo a`);
    const b = frameScript(`echo a`);
    expect(a.command).not.toBe(b.command);
    const stdout = runThroughNoisyLoginShell(a.command);
    expect(a.parse(stdout)).toEqual({ output: 'a\n', exitCode: 0 });
    expect(b.parse(stdout)).toBeNull();
  });
});
