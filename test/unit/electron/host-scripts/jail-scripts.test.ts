import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import jailCheck from '../../../../electron/host-scripts/jail-check.sh';
import jailStart from '../../../../electron/host-scripts/jail-start.sh';
import jailStop from '../../../../electron/host-scripts/jail-stop.sh';
import jailSnapshot from '../../../../electron/host-scripts/jail-snapshot.sh';
import jailSweep from '../../../../electron/host-scripts/jail-sweep.sh';
import { parseJailSweep } from '../../../../electron/jail/jail-service';
import { helperFixture } from '../../../support/helper-fixture';
import type { HelperFixture } from '../../../support/helper-fixture';
import { runUnderDash } from '../../../support/host-script-harness';

let f: HelperFixture;
let dir: string;
let images: string;
beforeEach(() => {
  f = helperFixture();
  const base = mkdtempSync(join(tmpdir(), 'firedeck-jail-scripts-'));
  dir = join(base, 'vms', 'vm1');
  images = join(base, 'images');
  mkdirSync(dir, { recursive: true });
  mkdirSync(images);
  writeFileSync(join(images, 'vmlinux'), 'kernel');
  writeFileSync(join(images, 'rootfs.ext4'), 'image');
  writeFileSync(join(dir, 'console.log'), '');
  writeFileSync(join(dir, 'firecracker.log'), '');
  f.cleanup = ((clean) => () => {
    clean();
    rmSync(base, { recursive: true, force: true });
  })(f.cleanup);
});
afterEach(() => f.cleanup());

// Root's alone, every folder above them too: what a jailer and a Firecracker must be.
const ROOT_JAILER = '/usr/bin/dash';
const ROOT_FIRECRACKER = '/usr/bin/ls';

describe('jail-check.sh under dash', () => {
  const check = (sudo: string, jailer = ROOT_JAILER, firecracker = ROOT_FIRECRACKER, tap = 'no', sha = f.sha256) =>
    runUnderDash(jailCheck, [dir, f.helper, sha, jailer, firecracker, tap], { standIns: { sudo: f.recorder(sudo) } });
  const verdict = (run: { stdout: string }) => /^verdict=(.*)$/m.exec(run.stdout)?.[1];
  const marker = () => (existsSync(join(dir, 'jail')) ? readFileSync(join(dir, 'jail'), 'utf8') : null);

  it('says jail when the helper is the shipped one, sudo runs it and the release is root’s alone', () => {
    expect(verdict(check("printf 'version=1\\n'"))).toBe('jail');
    expect(marker()).toBeNull();
    expect(f.calls()).toEqual([`sudo [-n] [--] [${f.helper}] [version]`]);
  });

  it('says why not, and writes it into the run directory for the VM page', () => {
    expect(verdict(check('exit 0', ROOT_JAILER, ROOT_FIRECRACKER, 'no', '0'.repeat(64)))).toBe('helper-tampered');
    expect(marker()).toBe('unjailed=helper-tampered\n');
    expect(verdict(check('exit 1'))).toBe('helper-no-sudo');
    expect(verdict(check('exit 0', '/nonexistent/jailer'))).toBe('jailer-missing');
    // A release in a folder others may write (here: under /tmp) is not run as root.
    writeFileSync(join(images, 'jailer'), '');
    expect(verdict(check('exit 0', join(images, 'jailer')))).toBe('jailer-unsafe');
    expect(verdict(check('exit 0', ROOT_JAILER, ROOT_FIRECRACKER, 'yes'))).toBe('tap-network');
    rmSync(f.helper);
    expect(verdict(check('exit 0'))).toBe('helper-missing');
    expect(marker()).toBe('unjailed=helper-missing\n');
  });
});

describe('jail-start.sh under dash', () => {
  const report = 'pid=4242\nstarttime=777\nuid=900000\ngid=900000\nchroot=/var/lib/firedeck/jail/u0/firecracker/vm1/root\nsocket=/var/lib/firedeck/jail/u0/firecracker/vm1/api.sock\ncgroup=none\ncpu_max=\nseccomp=on';
  const run = (sudo: string, snapshot: string[] = [], sha = f.sha256) =>
    runUnderDash(
      jailStart,
      [dir, f.helper, sha, 'vm1', 900000, 900099, 'vm', 2, 256, 64, '-', ROOT_JAILER, ROOT_FIRECRACKER, join(images, 'vmlinux'), ...snapshot],
      { standIns: { sudo: f.recorder(sudo), setsid: '[ "$1" = -w ] && shift; exec "$@"' } },
    );

  it('has the helper jail the VM with its own disk at /rootfs.ext4 and every other file at its host path, and records the jail', () => {
    writeFileSync(join(dir, 'console.in'), '');
    expect(run('exit 0').status).toBe(5); // no disk of its own yet: nothing is run
    expect(f.calls()).toEqual([]);
    writeFileSync(join(dir, 'rootfs.ext4'), 'disk');
    const result = run(`printf '%s\\n' '${report.replace(/\n/g, "' '")}' >&2; printf 'jailer says hi\\n'`);
    expect(result).toMatchObject({ status: 0 });
    const [call] = f.calls();
    expect(call).toBe(
      `sudo [-n] [--] [${f.helper}] [jail-start] [${process.getuid!()}] [vm1] [900000] [900099] [vm] [2] [256] [64] [-] [${ROOT_JAILER}] [${ROOT_FIRECRACKER}] [${dir}] ` +
        `[link] [/rootfs.ext4] [${dir}/rootfs.ext4] [copy] [${join(images, 'vmlinux')}] [${join(images, 'vmlinux')}] [link] [${dir}/metrics] [${dir}/metrics] ` +
        `[link] [${dir}/firecracker.log] [${dir}/firecracker.log] [dir] [${dir}/snapshots] [-]`,
    );
    // The helper's report is the script's output; what the jailer printed went to the console log.
    expect(readFileSync(join(dir, 'console.log'), 'utf8')).toBe('jailer says hi\n');
    expect(readFileSync(join(dir, 'firecracker.pid'), 'utf8')).toBe('4242\n');
    expect(readFileSync(join(dir, 'jail'), 'utf8')).toBe(`${report.replace(/\n/g, ' ')}\n`);
    expect(result.stdout).toContain('chroot=/var/lib/firedeck/jail/u0/firecracker/vm1/root');
  });

  it('links a restore’s snapshot too, and passes the helper’s refusals and the jailer’s failure on', () => {
    writeFileSync(join(dir, 'console.in'), '');
    writeFileSync(join(dir, 'rootfs.ext4'), 'disk');
    run("printf 'pid=1\\n' >&2", ['/snap']);
    expect(f.calls()[0]).toMatch(/\[link\] \[\/snap\/state\] \[\/snap\/state\] \[link\] \[\/snap\/mem\] \[\/snap\/mem\]$/);
    expect(run("printf 'firedeck-helper: no uid from 900000 to 900099 is free\\n' >&2; exit 80")).toMatchObject({ status: 80, stdout: expect.stringContaining('no uid from') });
    writeFileSync(join(dir, 'console.log'), 'Jailer error: boom\n');
    expect(run('exit 83')).toMatchObject({ status: 83, stdout: expect.stringContaining('Jailer error: boom') });
    expect(run('exit 1').status).toBe(43);
    expect(existsSync(join(dir, 'jail'))).toBe(false);
    expect(run('exit 0', [], '0'.repeat(64)).status).toBe(41);
  });
});

describe('jail-stop.sh and jail-snapshot.sh under dash', () => {
  it('do nothing for a VM that is not jailed', () => {
    for (const script of [jailStop, jailSnapshot]) {
      expect(runUnderDash(script, [dir, f.helper, f.sha256, 'vm1', 'first', 'export'], { standIns: { sudo: f.recorder('exit 9') } }).status).toBe(0);
      writeFileSync(join(dir, 'jail'), 'unjailed=helper-missing\n');
      expect(runUnderDash(script, [dir, f.helper, f.sha256, 'vm1', 'first', 'export'], { standIns: { sudo: f.recorder('exit 9') } }).status).toBe(0);
      rmSync(join(dir, 'jail'));
    }
    expect(f.calls()).toEqual([]);
  });

  it('stop has the helper remove the jail, then forgets it in the run directory', () => {
    writeFileSync(join(dir, 'jail'), 'pid=1 chroot=/x\n');
    writeFileSync(join(dir, 'firecracker.pid'), '1\n');
    expect(runUnderDash(jailStop, [dir, f.helper, f.sha256, 'vm1'], { standIns: { sudo: f.recorder('exit 75') } }).status).toBe(75);
    expect(existsSync(join(dir, 'jail'))).toBe(true);
    expect(runUnderDash(jailStop, [dir, f.helper, f.sha256, 'vm1'], { standIns: { sudo: f.recorder("printf 'removed=yes\\n'") } }).status).toBe(0);
    expect(f.calls().at(-1)).toBe(`sudo [-n] [--] [${f.helper}] [jail-stop] [${process.getuid!()}] [vm1]`);
    expect(['jail', 'firecracker.pid'].map((n) => existsSync(join(dir, n)))).toEqual([false, false]);
  });

  it('snapshot has the helper prepare the jail’s folder, then links what it exported into the run directory’s', () => {
    writeFileSync(join(dir, 'jail'), 'pid=1 chroot=/x\n');
    const exported = join(images, 'export');
    mkdirSync(exported);
    writeFileSync(join(exported, 'state'), 'S');
    writeFileSync(join(exported, 'mem'), 'M');
    chmodSync(exported, 0o755);
    expect(runUnderDash(jailSnapshot, [dir, f.helper, f.sha256, 'vm1', 'first', 'prepare'], { standIns: { sudo: f.recorder("printf 'prepared=first\\n'") } }).status).toBe(0);
    expect(f.calls()).toEqual([`sudo [-n] [--] [${f.helper}] [jail-snapshot] [${process.getuid!()}] [vm1] [first] [prepare]`]);
    expect(existsSync(join(dir, 'snapshots'))).toBe(false);
    const result = runUnderDash(jailSnapshot, [dir, f.helper, f.sha256, 'vm1', 'first', 'export'], { standIns: { sudo: f.recorder(`printf 'export=%s\\nexport=%s\\n' '${exported}/state' '${exported}/mem'`) } });
    expect(result.status).toBe(0);
    expect([readFileSync(join(dir, 'snapshots', 'first', 'state'), 'utf8'), readFileSync(join(dir, 'snapshots', 'first', 'mem'), 'utf8')]).toEqual(['S', 'M']);
  });
});

describe('jail-sweep.sh under dash', () => {
  const vms = () => join(dir, '..');
  // The helper's jail-list answer, and jail-stop's; every call is recorded.
  const sudo = `case $4 in jail-list) printf 'vm=vm1 alive=yes\\nvm=gone alive=no\\nvm=gone-alive alive=yes\\n' ;; jail-stop) [ "$6" = gone-alive ] && exit 75; printf 'removed=yes\\n' ;; esac`;

  it('lists the jails with whether their run directory exists, and removes nothing', () => {
    const result = runUnderDash(jailSweep, [vms(), f.helper, f.sha256, 'list'], { standIns: { sudo: f.recorder(sudo) } });
    expect(result.status).toBe(0);
    expect(parseJailSweep(result.stdout)).toEqual({
      jails: [
        { vmId: 'vm1', alive: true, runDirExists: true },
        { vmId: 'gone', alive: false, runDirExists: false },
        { vmId: 'gone-alive', alive: true, runDirExists: false },
      ],
      swept: [],
      failed: [],
    });
    expect(f.calls()).toEqual([`sudo [-n] [--] [${f.helper}] [jail-list] [${process.getuid!()}]`]);
  });

  it('sweep has the helper stop only the jails whose run directory is gone, and says which it could not', () => {
    const result = runUnderDash(jailSweep, [vms(), f.helper, f.sha256, 'sweep'], { standIns: { sudo: f.recorder(sudo) } });
    expect(result.status).toBe(0);
    expect(parseJailSweep(result.stdout)).toMatchObject({ swept: ['gone'], failed: ['gone-alive'] });
    const uid = process.getuid!();
    expect(f.calls().slice(1)).toEqual([`sudo [-n] [--] [${f.helper}] [jail-stop] [${uid}] [gone]`, `sudo [-n] [--] [${f.helper}] [jail-stop] [${uid}] [gone-alive]`]);
  });

  it('runs no helper that is missing, differs from the shipped text, or that sudo refuses', () => {
    expect(runUnderDash(jailSweep, [vms(), join(f.dir, 'none'), f.sha256, 'sweep'], { standIns: { sudo: f.recorder(sudo) } }).status).toBe(40);
    expect(runUnderDash(jailSweep, [vms(), f.helper, '0'.repeat(64), 'sweep'], { standIns: { sudo: f.recorder(sudo) } }).status).toBe(41);
    expect(f.calls()).toEqual([]);
    expect(runUnderDash(jailSweep, [vms(), f.helper, f.sha256, 'sweep'], { standIns: { sudo: f.recorder('exit 1') } }).status).toBe(43);
    expect(f.calls()).toHaveLength(1);
  });
});

describe('vm-discover.sh for a jailed VM', () => {
  // The field after the command name, 20 on: the start time in clock ticks since boot.
  const starttime = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[19]!;

  it('counts it alive while its pid has the start time the jail line recorded (its cwd is not to be looked at), and prints the line', async () => {
    const { default: vmDiscover } = await import('../../../../electron/host-scripts/vm-discover.sh');
    // A process of another cwd stands in for the jailed Firecracker.
    const pid = process.pid;
    writeFileSync(join(dir, 'firecracker.pid'), `${pid}\n`);
    writeFileSync(join(dir, 'config.json'), '{}\n');
    const line = `pid=${pid} starttime=${starttime(pid)} uid=900000 chroot=/x`;
    writeFileSync(join(dir, 'jail'), `${line}\n`);
    const listed = runUnderDash(vmDiscover, [join(dir, '..')]);
    expect(listed.stdout).toContain(`@vm vm1\nalive yes\n`);
    expect(listed.stdout).toContain(`jail ${line}\n`);
    // A reused pid (another start time) is not the VM.
    writeFileSync(join(dir, 'jail'), `pid=${pid} starttime=1 uid=900000 chroot=/x\n`);
    expect(runUnderDash(vmDiscover, [join(dir, '..')]).stdout).toContain('@vm vm1\nalive no\n');
  });
});
