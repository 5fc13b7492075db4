import { randomBytes } from 'node:crypto';
import { shq } from './shell-quote.js';

/**
 * Remote commands run through the user's login shell, which may print anything first (a
 * `.bashrc` banner, `pyenv init` noise). So each script runs under /bin/sh between two markers
 * with a per-call nonce, and only what lies between them counts as its output.
 */
export interface FramedCommand {
  /** The command line to pass to ssh exec. */
  command: string;
  parse(stdout: string): { output: string; exitCode: number } | null;
}

export function frameScript(script: string): FramedCommand {
  const nonce = randomBytes(8).toString('hex');
  const begin = `__FIREDECK_BEGIN_${nonce}__`;
  const end = `__FIREDECK_END_${nonce}__`;
  // LC_ALL=C keeps error texts (strerror) in the English the parsers expect. umask 077: what
  // Firedeck creates on a host (run directories, disks, memory snapshots, console logs) is
  // private to the SSH user, whatever umask the login shell set.
  const framed = `LC_ALL=C; export LC_ALL; umask 077; printf '%s\\n' ${begin}; ( ${script}\n); printf '\\n%s %s\\n' ${end} "$?"`;
  return {
    command: `exec /bin/sh -c ${shq(framed)}`,
    parse(stdout) {
      const start = stdout.lastIndexOf(`${begin}\n`);
      const stop = stdout.lastIndexOf(`\n${end} `);
      if (start === -1 || stop === -1 || stop < start) return null;
      const exitCode = Number.parseInt(stdout.slice(stop + end.length + 2), 10);
      return { output: stdout.slice(start + begin.length + 1, stop), exitCode: Number.isNaN(exitCode) ? -1 : exitCode };
    },
  };
}
