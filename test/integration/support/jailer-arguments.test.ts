import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cgroupLayout, planCgroupCleanup, removeCgroups } from '../../support/jailer/cgroup-layout';
import { jailerStandInPath, installJailerStandIn } from '../../support/jailer/jailer-stand-in';
import { makeJailerTempDir, removeStaleJailerTestState, testParentCgroup } from '../../support/jailer/jailer-test-state';

// The jailer stand-in's refusals, checked against the texts of Firecracker v1.12.0's jailer:
// argument errors print two lines and exit 1; every later error is a panic (SIGABRT).
const isRoot = process.getuid?.() === 0;

function jailer(args: string[], options: { cwd?: string; path?: string } = {}) {
  const result = spawnSync(options.path ?? jailerStandInPath, args, { encoding: 'utf8', cwd: options.cwd, timeout: 20_000 });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

const panic = (message: string) => `thread 'main' panicked at src/jailer/src/main.rs:355:27:\nJailer error: ${message}\nnote: run with \`RUST_BACKTRACE=1\` environment variable to display a backtrace\n`;

describe.skipIf(!isRoot)('jailer stand-in: arguments', () => {
  let temp: { path: string; cleanup(): Promise<void> };
  let execFile: string;
  let base: string;
  // A valid command line; each case breaks one thing.
  let valid: (over?: Record<string, string | null>) => string[];

  beforeAll(async () => {
    await removeStaleJailerTestState();
    temp = await makeJailerTempDir();
    execFile = join(temp.path, 'bin', 'firecracker');
    base = join(temp.path, 'jails');
    await mkdir(join(temp.path, 'bin'));
    await mkdir(base);
    await writeFile(execFile, '#!/bin/sh\n', { mode: 0o755 });
    valid = (over = {}) => {
      const args: Record<string, string | null> = { '--id': 'vm-1', '--exec-file': execFile, '--uid': '65534', '--gid': '65534', '--chroot-base-dir': base, ...over };
      return Object.entries(args).flatMap(([k, v]) => (v === null ? [] : [k, v]));
    };
  });
  afterAll(() => temp?.cleanup());

  it.each([
    [[], 'MissingArgument', 'exec-file', "Argument 'exec-file' required, but not found."],
    [['--id', 'a', '--exec-file', '/x', '--uid', '1'], 'MissingArgument', 'gid', "Argument 'gid' required, but not found."],
    [['--bogus'], 'UnexpectedArgument', 'bogus', "Found argument 'bogus' which wasn't expected, or isn't valid in this context."],
    [['id'], 'UnexpectedArgument', 'id', "Found argument 'id' which wasn't expected, or isn't valid in this context."],
    [['--id', 'a', '--id', 'b'], 'DuplicateArgument', 'id', "The argument 'id' was provided more than once."],
    [['--id', '--uid', '1'], 'MissingValue', 'id', "The argument 'id' requires a value, but none was supplied."],
    [['--id', '--', 'x'], 'MissingValue', 'id', "The argument 'id' requires a value, but none was supplied."],
  ])('refuses %j: %s', (args, kind, name, message) => {
    const run = jailer(args);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`Failed to parse arguments: ${message}\nError: ArgumentParsing(${kind}("${name}"))\n`);
  });

  it('prints its version and help like the release it stands in for', async () => {
    const named = join(temp.path, 'bin', 'jailer-v1.9.3-x86_64');
    await installJailerStandIn(named, 'v1.9.3');
    expect(jailer(['--version'], { path: named })).toMatchObject({ status: 0, stdout: 'Jailer v1.9.3\n\n' });
    const help = jailer(['--id', 'x', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Jailer v1\.12\.0\n\nrequired arguments:\n {2}--exec-file <exec-file> {3}File path to exec into\.\n/);
    expect(help.stdout).toContain('--chroot-base-dir <chroot-base-dir> The base folder where chroot jails are located. [default: "/srv/jailer"]');
    expect(help.stdout).toMatch(/Any arguments after the -- separator will be supplied to the jailed binary\.\n\n$/);
  });

  it.each([
    ['has_underscore', 'Invalid instance ID: Invalid char (_) at position 3'],
    ['a'.repeat(65), 'Invalid instance ID: Invalid len (65);  the length must be between 1 and 64'],
    ['', 'Invalid instance ID: Invalid len (0);  the length must be between 1 and 64'],
    ['with/slash', 'Invalid instance ID: Invalid char (/) at position 4'],
  ])('refuses the id %j', (id, message) => {
    const run = jailer(valid({ '--id': id }));
    expect(run.signal).toBe('SIGABRT');
    expect(run.stderr).toBe(panic(message));
  });

  it('takes an id of 64 letters, digits and dashes (it fails later, at the netns)', () => {
    const id = `${'a1-'.repeat(21)}z`;
    const run = jailer(valid({ '--id': id, '--netns': '/nonexistent/netns' }));
    expect(run.stderr).toBe(panic('Failed to open file /nonexistent/netns: No such file or directory (os error 2)'));
  });

  it('refuses a missing exec file, a directory, and a file whose name lacks "firecracker"', async () => {
    expect(jailer(valid({ '--exec-file': '/nonexistent/firecracker' })).stderr).toBe(panic('Failed to canonicalize path /nonexistent/firecracker: No such file or directory (os error 2)'));
    expect(jailer(valid({ '--exec-file': '/etc/hostname/firecracker' })).stderr).toBe(panic('Failed to canonicalize path /etc/hostname/firecracker: Not a directory (os error 20)'));
    const dir = join(temp.path, 'firecracker-dir');
    await mkdir(dir);
    expect(jailer(valid({ '--exec-file': dir })).stderr).toBe(panic(`${dir} is not a file`));
    const other = join(temp.path, 'bin', 'cloud-hypervisor');
    await copyFile(execFile, other);
    const run = jailer(valid({ '--exec-file': other }));
    expect(run.signal).toBe('SIGABRT');
    expect(run.stderr).toBe(panic('Invalid filename. The filename of `--exec-file` option must contain "firecracker": cloud-hypervisor'));
  });

  it('names the jail after the canonical exec file (a symlink is followed)', async () => {
    const link = join(temp.path, 'bin', 'fc-link');
    spawnSync('ln', ['-s', execFile, link]);
    // The netns refusal comes after the chroot directory is made: it shows where that went.
    jailer(valid({ '--exec-file': link, '--id': 'via-link', '--netns': '/nonexistent/netns' }));
    expect(existsSync(join(base, 'firecracker', 'via-link', 'root', 'firecracker'))).toBe(true);
  });

  it('refuses a chroot base that is missing or not a directory, and resolves a relative one against its working directory', async () => {
    expect(jailer(valid({ '--chroot-base-dir': '/nonexistent/base' })).stderr).toBe(panic('Failed to canonicalize path /nonexistent/base: No such file or directory (os error 2)'));
    expect(jailer(valid({ '--chroot-base-dir': 'relative/base' }), { cwd: temp.path }).stderr).toBe(panic('Failed to canonicalize path relative/base: No such file or directory (os error 2)'));
    expect(jailer(valid({ '--chroot-base-dir': execFile })).stderr).toBe(panic(`${execFile} is not a directory`));
    // As the real jailer (canonicalize), not a refusal: a relative base that exists is used.
    await mkdir(join(temp.path, 'relative'));
    const run = jailer(valid({ '--chroot-base-dir': 'relative', '--id': 'rel', '--netns': '/nonexistent/netns' }), { cwd: temp.path });
    expect(run.stderr).toBe(panic('Failed to open file /nonexistent/netns: No such file or directory (os error 2)'));
    expect(await readdir(join(temp.path, 'relative', 'firecracker', 'rel', 'root'))).toEqual(['firecracker']);
  });

  it.each([
    ['--uid', 'abc', 'Invalid uid: abc'],
    ['--uid', '-1', 'Invalid uid: -1'],
    ['--uid', '4294967296', 'Invalid uid: 4294967296'],
    ['--gid', '', 'Invalid gid: '],
    ['--gid', '1.5', 'Invalid gid: 1.5'],
  ])('refuses %s %j', (flag, value, message) => {
    expect(jailer(valid({ [flag]: value })).stderr).toBe(panic(message));
  });

  it('refuses a netns that does not exist or is not a network namespace', () => {
    expect(jailer(valid({ '--netns': '/run/netns/fdjail-none' })).stderr).toBe(panic('Failed to open file /run/netns/fdjail-none: No such file or directory (os error 2)'));
    expect(jailer(valid({ '--netns': '/etc/hostname', '--id': 'netns-file' })).stderr).toBe(panic('Failed to join network namespace: netns: Invalid argument (os error 22)'));
  });

  it.each([
    [{ '--parent-cgroup': '/abs' }, "Parent cgroup path is invalid. Path should not be absolute or contain '..' or '.'"],
    [{ '--parent-cgroup': 'a/../b' }, "Parent cgroup path is invalid. Path should not be absolute or contain '..' or '.'"],
    [{ '--parent-cgroup': './a' }, "Parent cgroup path is invalid. Path should not be absolute or contain '..' or '.'"],
    [{ '--cgroup-version': 'two' }, 'two is an invalid cgroup version specifier'],
    [{ '--cgroup-version': '256' }, '256 is an invalid cgroup version specifier'],
    [{ '--cgroup-version': '3', '--cgroup': 'cpu.max=1' }, 'Hierarchy not found: No hierarchy found for this cgroup version.'],
    [{ '--resource-limit': 'fsize' }, 'Invalid format for resources limits: fsize'],
    [{ '--resource-limit': 'fsize=lots' }, 'Invalid limit value for resource: lots: invalid digit found in string'],
    [{ '--resource-limit': 'no-file=' }, 'Invalid limit value for resource: : cannot parse integer from empty string'],
    [{ '--resource-limit': 'fsize=18446744073709551616' }, 'Invalid limit value for resource: 18446744073709551616: number too large to fit in target type'],
    [{ '--resource-limit': 'cpu=1' }, 'Invalid resource argument: cpu'],
  ])('refuses %j', (over, message) => {
    expect(jailer(valid(over)).stderr).toBe(panic(message));
  });

  // Cgroup values are checked against the hierarchy the machine has, as the real jailer does.
  const layout = cgroupLayout();
  it.skipIf(!layout.v2).each([
    ['cpu.max', 'Invalid format for cgroups: cpu.max'],
    ['cpu.max=', 'Invalid format for cgroups: cpu.max='],
    ['a=b=c', 'Invalid format for cgroups: a=b=c'],
    ['../cpu.max=1', 'Cgroup invalid file: ../cpu.max=1'],
    ['cpumax=1', 'Cgroup invalid file: cpumax'],
    ['nosuchctl.max=1', 'Controller nosuchctl is unavailable'],
  ])('with cgroup v2, refuses --cgroup %j', (cgroup, message) => {
    expect(jailer(valid({ '--cgroup-version': '2', '--cgroup': cgroup })).stderr).toBe(panic(message));
  });

  it.skipIf(!layout.v2 || ['cpu', 'memory'].every((c) => layout.v2?.controllers.includes(c)))(
    'with cgroup v2 lacking the cpu controller (as on this machine), refuses cpu.max as the real jailer would',
    () => {
      expect(jailer(valid({ '--cgroup-version': '2', '--cgroup': 'cpu.max=200000 100000' })).stderr).toBe(panic('Controller cpu is unavailable'));
    },
  );

  it.skipIf(layout.v2 !== null)('with no cgroup2 mount, refuses --cgroup-version 2 even without --cgroup', () => {
    expect(jailer(valid({ '--cgroup-version': '2' })).stderr).toBe(panic('Hierarchy not found: No hierarchy found for this cgroup version.'));
  });

  it.skipIf(Object.keys(layout.v1).length > 0)('with no cgroup v1 hierarchy, refuses --cgroup at the default version 1', () => {
    expect(jailer(valid({ '--cgroup': 'cpu.cfs_quota_us=100000' })).stderr).toBe(panic('Hierarchy not found: No hierarchy found for this cgroup version.'));
  });

  it.skipIf(Object.keys(layout.v1).length === 0)('with cgroup v1, refuses a controller no hierarchy carries', () => {
    expect(jailer(valid({ '--cgroup': 'nosuchctl.limit=1' })).stderr).toBe(panic('Controller nosuchctl is unavailable'));
  });

  it.skipIf(!layout.v1.cpu)('with cgroup v1 (the default version), fails on a v2 file name such as cpu.max after making <parent>/<id>', async () => {
    const parent = testParentCgroup('args', 'memory');
    const cleanup = planCgroupCleanup(parent);
    try {
      const run = jailer(valid({ '--parent-cgroup': parent, '--cgroup': 'cpu.max=100000', '--id': 'v1-file' }));
      expect(run.stderr).toBe(panic(`Failed to read file ${join(layout.v1.cpu!, parent, 'cpu.max')} into a string: No such file or directory (os error 2)`));
      expect(existsSync(join(layout.v1.cpu!, parent, 'v1-file'))).toBe(true);
    } finally {
      await removeCgroups(cleanup);
    }
  });

  it('validates in the real order: the id before the exec file, the exec file before the uid', () => {
    expect(jailer(valid({ '--id': 'bad_id', '--exec-file': '/nonexistent/firecracker' })).stderr).toBe(panic('Invalid instance ID: Invalid char (_) at position 3'));
    expect(jailer(valid({ '--exec-file': '/nonexistent/firecracker', '--uid': 'x' })).stderr).toBe(panic('Failed to canonicalize path /nonexistent/firecracker: No such file or directory (os error 2)'));
  });

  it('is POSIX sh that shellcheck passes', () => {
    const check = spawnSync('shellcheck', ['--shell=sh', '--severity=style', jailerStandInPath], { encoding: 'utf8' });
    expect(check.error).toBeUndefined();
    expect(check.stdout).toBe('');
    expect(check.status).toBe(0);
  });
});
