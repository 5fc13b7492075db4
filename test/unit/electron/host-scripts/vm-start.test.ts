import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import prepare from '../../../../electron/host-scripts/vm-prepare.sh';
import script from '../../../../electron/host-scripts/vm-start.sh';
import { vmPaths } from '../../../../electron/vms/vm-paths';
import type { VmPaths } from '../../../../electron/vms/vm-paths';
import { runUnderDash } from '../../../support/host-script-harness';

let home: string;
let paths: VmPaths;
const started: number[] = [];
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'firedeck-start-'));
  paths = vmPaths(home, 'vm-s');
  expect(runUnderDash(prepare, [paths.dir, '{}']).status).toBe(0);
});
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(home, { recursive: true, force: true });
});

// A stand-in Firecracker: `--api-sock PATH` is its second argument.
const listening = `exec perl -MIO::Socket::UNIX -e 'my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Local => $ARGV[0], Listen => 1); sleep 30' "$2"`;

describe('vm-start.sh under dash', () => {
  it('starts the binary in the run directory with the VM id and waits for its API socket', () => {
    const run = runUnderDash(script, [paths.dir, 'firecracker', 'vm-s'], { standIns: { firecracker: `printf '%s\\n' "$*" > args.txt\n${listening}` } });
    const pid = Number(readFileSync(paths.pid, 'utf8'));
    started.push(pid);
    expect(run).toMatchObject({ status: 0, stdout: '' });
    expect(readFileSync(join(paths.dir, 'args.txt'), 'utf8').trim()).toBe(`--api-sock ${paths.socket} --id vm-s --log-path ${paths.fcLog}`);
  });

  it('runs Firecracker through a launcher prefix, and the pid file names Firecracker, not the launcher', () => {
    // A launcher that stays Firecracker's parent, as sudo does: it forks, then waits.
    const launcher = `printf '%s\\n' "$$" > launcher.pid; "$@"; exit $?`;
    const run = runUnderDash(script, [paths.dir, 'firecracker', 'vm-s', 'launch', '--as', 'me', '--'], {
      standIns: { launch: `shift 3\n${launcher}`, firecracker: `printf '%s\\n' "$*" > args.txt\n${listening}` },
    });
    const pid = Number(readFileSync(paths.pid, 'utf8'));
    started.push(pid, Number(readFileSync(join(paths.dir, 'launcher.pid'), 'utf8')));
    expect(run).toMatchObject({ status: 0, stdout: '' });
    expect(pid).not.toBe(started.at(-1));
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain(paths.socket);
    // Firecracker leads its own process group, so vm-kill.sh's group kill reaches its children.
    expect(readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[4]).toBe(String(pid));
    expect(readFileSync(join(paths.dir, 'args.txt'), 'utf8').trim()).toBe(`--api-sock ${paths.socket} --id vm-s --log-path ${paths.fcLog}`);
  });

  it('exits 3 with what the launcher said when the launcher refuses', () => {
    const run = runUnderDash(script, [paths.dir, 'firecracker', 'vm-s', 'launch', '--'], { standIns: { launch: 'echo "sudo: a password is required" >&2; exit 1', firecracker: listening } });
    expect(run.status).toBe(3);
    expect(run.stdout).toContain('sudo: a password is required');
  });

  it('exits 3 with the end of the logs when Firecracker dies at once', () => {
    const run = runUnderDash(script, [paths.dir, 'firecracker', 'vm-s'], { standIns: { firecracker: 'echo "Error: no KVM here"; exit 1' } });
    expect(run.status).toBe(3);
    expect(run.stdout).toContain('Error: no KVM here');
  });

  it('exits 4 when no socket appears in time', () => {
    // The wait is 100 rounds of `sleep 0.05`; a `sleep` that returns at once makes it quick.
    const run = runUnderDash(script, [paths.dir, 'firecracker', 'vm-s'], { standIns: { firecracker: 'exec /bin/sleep 30', sleep: 'exit 0' } });
    started.push(Number(readFileSync(paths.pid, 'utf8')));
    expect(run.status).toBe(4);
  });
});
