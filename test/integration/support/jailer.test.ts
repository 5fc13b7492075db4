import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cgroupLayout, planCgroupCleanup, removeCgroups } from '../../support/jailer/cgroup-layout';
import { isAlive, killJailed, processesInJail, removeJail, waitUntil } from '../../support/jailer/jail-cleanup';
import { createJailUser, removeJailUser } from '../../support/jailer/jail-users';
import type { JailUser } from '../../support/jailer/jail-users';
import { chrootDir, jailDir, jailerStandInPath, pidFile } from '../../support/jailer/jailer-stand-in';
import type { JailSpec } from '../../support/jailer/jailer-stand-in';
import { createTestNetns, makeJailerTempDir, removeStaleJailerTestState, testName, testParentCgroup } from '../../support/jailer/jailer-test-state';
import { ensureTestUsers, startTestHost } from '../../support/ssh-test-hosts';
import type { TestHost } from '../../support/ssh-test-hosts';
import { emulatorPath } from '../../support/vm-fixtures';

// The jailer stand-in running the Firecracker emulator, as root, on this machine: what the
// jailed process is (uid, root, cgroup, netns, limits), what it can open, and how it detaches.
const isRoot = process.getuid?.() === 0;
const EXEC_NAME = 'firecracker-v1.12.0-x86_64';
const SOCKET = '/run/firecracker.socket';
const run = promisify(execFile);

interface Jailed {
  spec: JailSpec;
  pid: number;
  chroot: string;
  socket: string;
  jailer: ChildProcess;
  stderr: () => string;
}

/** `curl --unix-socket`, as a person checking by hand would. */
async function api(socket: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: string }> {
  const args = ['-s', '--unix-socket', socket, '-X', method, '-w', '\n%{http_code}', `http://localhost${path}`];
  if (body !== undefined) args.push('-H', 'Content-Type: application/json', '-d', JSON.stringify(body));
  const { stdout } = await run('curl', args);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) };
}

/** Runs `command` as this uid/gid with no groups, outside any jail. */
function asUser(user: JailUser, command: string[]) {
  return spawnSync('setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', ...command], { encoding: 'utf8' });
}

const statusField = (pid: number, field: string) => new RegExp(`^${field}:(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]?.trim().split(/\s+/).filter(Boolean);
const limitOf = (pid: number, name: string) => new RegExp(`^${name}\\s+(\\S+)\\s+(\\S+)`, 'm').exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.slice(1, 3);
const sessionOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(fields[1]), sid: Number(fields[3]) };
};
const readPid = (spec: JailSpec) => {
  try {
    const text = readFileSync(pidFile(spec), 'utf8');
    return text === '' ? null : Number(text);
  } catch {
    return null;
  }
};
const devNumbers = (rdev: number) => [(rdev >> 8) & 0xfff, (rdev & 0xff) | ((rdev >> 12) & 0xfff00)];

describe.skipIf(!isRoot)('jailer stand-in: the jail', () => {
  let temp: { path: string; cleanup(): Promise<void> };
  let execFilePath: string;
  let base: string;
  let userA: JailUser;
  let userB: JailUser;
  let sshUser: JailUser;
  let netns: ReturnType<typeof createTestNetns>;
  let vmA: Jailed;
  let vmB: Jailed;
  const jails: (JailSpec & { parentCgroup?: string })[] = [];

  /** Starts the jailer as our child; resolves once the jailed emulator listens. */
  async function startJailed(id: string, user: JailUser, jailerArgs: string[] = []): Promise<Jailed> {
    const spec = { chrootBase: base, execFileName: EXEC_NAME, id };
    const parent = jailerArgs[jailerArgs.indexOf('--parent-cgroup') + 1];
    jails.push({ ...spec, parentCgroup: jailerArgs.includes('--parent-cgroup') ? parent : undefined });
    const args = ['--id', id, '--exec-file', execFilePath, '--uid', String(user.uid), '--gid', String(user.gid), '--chroot-base-dir', base, ...jailerArgs, '--', '--api-sock', SOCKET];
    const jailer = spawn(jailerStandInPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    jailer.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    jailer.stdout?.resume();
    const chroot = chrootDir(spec);
    const socket = join(chroot, SOCKET);
    const ended = () => jailer.exitCode !== null || jailer.signalCode !== null;
    // With --new-pid-ns the jailer exits 0 while the VM runs on: wait for the socket either way.
    await waitUntil(() => (existsSync(socket) && readPid(spec) !== null) || (ended() && jailer.exitCode !== 0), `jail ${id} to listen`);
    if (!existsSync(socket)) throw new Error(`jailer for ${id} ended (${jailer.exitCode ?? jailer.signalCode}): ${stderr}`);
    return { spec, pid: readPid(spec)!, chroot, socket, jailer, stderr: () => stderr };
  }

  beforeAll(async () => {
    await removeStaleJailerTestState();
    temp = await makeJailerTempDir();
    await mkdir(join(temp.path, 'bin'), { mode: 0o755 });
    execFilePath = join(temp.path, 'bin', EXEC_NAME);
    await copyFile(emulatorPath, execFilePath);
    await chmod(execFilePath, 0o755);
    base = join(temp.path, 'jails');
    await mkdir(base, { mode: 0o755 });
    userA = createJailUser('vma');
    userB = createJailUser('vmb');
    sshUser = createJailUser('ssh', { home: true });
    await writeFile(join(sshUser.home!, 'secret.txt'), 'the SSH user\'s secret\n', { mode: 0o644 });
    netns = createTestNetns('net');

    vmA = await startJailed('vm-a', userA, ['--netns', netns.path, '--resource-limit', 'no-file=1024', '--resource-limit', 'fsize=250000000']);
    vmB = await startJailed('vm-b', userB);
    // What Firedeck would hard-link into each jail: the VM's own files, owned by its uid.
    for (const [vm, user] of [[vmA, userA], [vmB, userB]] as const) {
      await writeFile(join(vm.chroot, 'vmlinux'), 'kernel\n', { mode: 0o600 });
      await chown(join(vm.chroot, 'vmlinux'), user.uid, user.gid);
    }
    await writeFile(join(vmA.chroot, 'root-only'), 'root\n', { mode: 0o600 });
  }, 60_000);

  afterAll(async () => {
    for (const jail of jails) await removeJail(jail);
    netns?.remove();
    for (const user of [userA, userB, sshUser]) if (user) removeJailUser(user);
    await temp?.cleanup();
  }, 60_000);

  it('runs the exec file as --uid/--gid with no supplementary groups, an empty environment, and the arguments jailer.md lists', () => {
    expect(vmA.pid).toBe(vmA.jailer.pid); // no --daemonize, no --new-pid-ns: the jailer execs
    expect(statusField(vmA.pid, 'Uid')).toEqual(Array(4).fill(String(userA.uid)));
    expect(statusField(vmA.pid, 'Gid')).toEqual(Array(4).fill(String(userA.gid)));
    expect(statusField(vmA.pid, 'Groups')).toEqual([]);
    expect(readFileSync(`/proc/${vmA.pid}/environ`, 'utf8')).toBe('');
    // argv[0] is the emulator's interpreter (node); then what the real jailer passes.
    const argv = readFileSync(`/proc/${vmA.pid}/cmdline`, 'utf8').split('\0').slice(1, -1);
    expect(argv).toEqual([`/${EXEC_NAME}`, '--id', 'vm-a', '--start-time-us', expect.stringMatching(/^\d+$/), '--start-time-cpu-us', expect.stringMatching(/^\d+$/), '--parent-cpu-time-us', expect.stringMatching(/^\d+$/), '--api-sock', SOCKET]);
  });

  it('puts it in the chroot: /proc/PID/root is <base>/<exec file name>/<id>/root (stat, since readlink says "/")', () => {
    expect(vmA.chroot).toBe(join(base, EXEC_NAME, 'vm-a', 'root'));
    const root = statSync(`/proc/${vmA.pid}/root`);
    const chroot = statSync(vmA.chroot);
    expect([root.dev, root.ino]).toEqual([chroot.dev, chroot.ino]);
    expect(readlinkSync(`/proc/${vmA.pid}/root`)).toBe('/');
  });

  it('builds the jail as jailer.md says: 0700 folders and 0600 devices owned by the uid, a copy of the exec file, the pid file', async () => {
    for (const folder of ['', 'dev', 'dev/net', 'run']) {
      const st = statSync(join(vmA.chroot, folder));
      expect([folder, st.mode & 0o7777, st.uid, st.gid]).toEqual([folder, 0o700, userA.uid, userA.gid]);
    }
    const devices: [string, number, number][] = [['dev/kvm', 10, 232], ['dev/net/tun', 10, 200], ['dev/urandom', 1, 9]];
    const uffd = /^\s*(\d+) userfaultfd$/m.exec(readFileSync('/proc/misc', 'utf8'));
    if (uffd) devices.push(['dev/userfaultfd', 10, Number(uffd[1])]);
    for (const [path, major, minor] of devices) {
      const st = statSync(join(vmA.chroot, path));
      expect([path, st.isCharacterDevice(), st.mode & 0o777, st.uid, st.gid, ...devNumbers(st.rdev)]).toEqual([path, true, 0o600, userA.uid, userA.gid, major, minor]);
    }
    const copy = statSync(join(vmA.chroot, EXEC_NAME));
    expect(copy.ino).not.toBe(statSync(execFilePath).ino); // a copy, as the real jailer makes
    expect(copy.mode & 0o777).toBe(0o755);
    expect((await readFile(join(vmA.chroot, EXEC_NAME))).equals(await readFile(execFilePath))).toBe(true);
    expect(readFileSync(pidFile(vmA.spec), 'utf8')).toBe(String(vmA.pid));
  });

  it('keeps its interpreter mounts inside the jail: none is seen outside, and inside they are read-only', () => {
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(base);
    const inside = readFileSync(`/proc/${vmA.pid}/mountinfo`, 'utf8').split('\n');
    const node = inside.find((line) => line.split(' ')[4] === '/usr/bin/node');
    expect(node?.split(' ')[5]).toMatch(/^ro,/);
  });

  it('runs the emulator, which answers its API on the socket inside the chroot', async () => {
    const answer = await api(vmA.socket, 'GET', '/');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ id: 'vm-a', state: 'Not started' });
  });

  it("cannot open the SSH user's home, another VM's jail or anything else outside its chroot", async () => {
    const bootFrom = (path: string) => api(vmA.socket, 'PUT', '/boot-source', { kernel_image_path: path });
    const secret = join(sshUser.home!, 'secret.txt');
    // The same uid, unjailed, could read the secret: the chroot is what stops it.
    expect(asUser(userA, ['cat', secret]).stdout).toContain('secret');
    for (const path of [secret, join(vmB.chroot, 'vmlinux'), `/../../..${join(vmB.chroot, 'vmlinux')}`, `/proc/${vmB.pid}/root/vmlinux`, '/etc/passwd']) {
      const answer = await bootFrom(path);
      expect([path, answer.status, answer.body]).toEqual([path, 400, expect.stringContaining('No such file or directory')]);
    }
    // What it may open: its own files, and only as its own uid.
    expect((await bootFrom('/vmlinux')).status).toBe(204);
    expect((await bootFrom('/root-only')).body).toContain('Permission denied');
  });

  it("keeps another VM's jail closed to this uid even outside the chroot (one uid per VM)", () => {
    const other = join(vmB.chroot, 'vmlinux');
    expect(asUser(userB, ['cat', other]).stdout).toBe('kernel\n');
    const tried = asUser(userA, ['cat', other]);
    expect(tried.status).not.toBe(0);
    expect(tried.stderr).toContain('Permission denied');
    expect(asUser(userA, ['ls', vmB.chroot]).stderr).toContain('Permission denied');
  });

  it('joins the netns given, and only when given', () => {
    expect(readlinkSync(`/proc/${vmA.pid}/ns/net`)).toBe(`net:[${statSync(netns.path).ino}]`);
    expect(readlinkSync(`/proc/${vmB.pid}/ns/net`)).toBe(readlinkSync('/proc/self/ns/net'));
  });

  it('applies --resource-limit, and no-file=2048 when none is given', () => {
    expect(limitOf(vmA.pid, 'Max open files')).toEqual(['1024', '1024']);
    expect(limitOf(vmA.pid, 'Max file size')).toEqual(['250000000', '250000000']);
    expect(limitOf(vmB.pid, 'Max open files')).toEqual(['2048', '2048']);
    expect(limitOf(vmB.pid, 'Max file size')).toEqual(limitOf(process.pid, 'Max file size'));
  });

  // Cgroups: this machine decides what can be checked (see the report in jailer.sh's header).
  const layout = cgroupLayout();
  const v2 = layout.v2;
  const v2Limits: Record<string, string> | null =
    v2 && ['cpu', 'memory'].every((c) => v2.controllers.includes(c))
      ? { 'cpu.max': '200000 100000', 'memory.max': '536870912' }
      : v2?.controllers.includes('hugetlb') && existsSync('/sys/kernel/mm/hugepages/hugepages-2048kB')
        ? { 'hugetlb.2MB.max': '4194304' }
        : null;

  it.skipIf(!v2Limits)(`with cgroup v2, runs it in <parent>/<id> with the limits asked for (${Object.keys(v2Limits ?? {}).join(', ')})`, async () => {
    const parent = testName('v2');
    const cleanup = planCgroupCleanup(parent);
    try {
      const cgroupArgs = Object.entries(v2Limits!).flatMap(([file, value]) => ['--cgroup', `${file}=${value}`]);
      const vm = await startJailed('vm-v2', userA, ['--cgroup-version', '2', '--parent-cgroup', parent, ...cgroupArgs]);
      const dir = join(v2!.mount, parent, 'vm-v2');
      expect(readFileSync(`/proc/${vm.pid}/cgroup`, 'utf8')).toContain(`0::/${parent}/vm-v2\n`);
      expect(readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n')).toContain(String(vm.pid));
      for (const [file, value] of Object.entries(v2Limits!)) expect(readFileSync(join(dir, file), 'utf8').trim()).toBe(value);
      await removeJail({ ...vm.spec, parentCgroup: parent });
      expect(existsSync(dir)).toBe(false);
    } finally {
      await removeCgroups(cleanup);
    }
    expect(existsSync(join(v2!.mount, parent))).toBe(false);
  });

  it.skipIf(!v2)('with cgroup v2 and no --cgroup, moves it into an existing --parent-cgroup, as documented', async () => {
    const parent = testName('v2move');
    const cleanup = planCgroupCleanup(parent);
    try {
      mkdirSync(join(v2!.mount, parent));
      const vm = await startJailed('vm-v2move', userB, ['--cgroup-version', '2', '--parent-cgroup', parent]);
      expect(readFileSync(`/proc/${vm.pid}/cgroup`, 'utf8')).toContain(`0::/${parent}\n`);
      expect(existsSync(join(v2!.mount, parent, 'vm-v2move'))).toBe(false);
      await removeJail({ ...vm.spec, parentCgroup: parent });
    } finally {
      await removeCgroups(cleanup);
    }
  });

  it.skipIf(!layout.v1.cpu || !layout.v1.memory)('with cgroup v1 (the real default), runs it in <parent>/<id> of each controller with the limits asked for', async () => {
    // Inside the test runner's own memory cgroup, so the jailed process escapes no limit of its.
    const parent = testParentCgroup('v1', 'memory');
    const cleanup = planCgroupCleanup(parent);
    try {
      const vm = await startJailed('vm-v1', userA, ['--parent-cgroup', parent, '--cgroup', 'cpu.cfs_quota_us=200000', '--cgroup', 'cpu.cfs_period_us=100000', '--cgroup', 'memory.limit_in_bytes=536870912']);
      const cgroups = readFileSync(`/proc/${vm.pid}/cgroup`, 'utf8');
      for (const controller of ['cpu', 'memory']) expect(cgroups).toMatch(new RegExp(`^\\d+:[^:]*\\b${controller}\\b[^:]*:/${parent}/vm-v1$`, 'm'));
      const cpu = join(layout.v1.cpu!, parent, 'vm-v1');
      const memory = join(layout.v1.memory!, parent, 'vm-v1');
      expect(readFileSync(join(cpu, 'cpu.cfs_quota_us'), 'utf8').trim()).toBe('200000');
      expect(readFileSync(join(cpu, 'cpu.cfs_period_us'), 'utf8').trim()).toBe('100000');
      expect(readFileSync(join(memory, 'memory.limit_in_bytes'), 'utf8').trim()).toBe('536870912');
      expect(readFileSync(join(memory, 'tasks'), 'utf8').split('\n')).toContain(String(vm.pid));
      await removeJail({ ...vm.spec, parentCgroup: parent });
    } finally {
      await removeCgroups(cleanup);
    }
    for (const dir of cleanup.dirs) expect(existsSync(dir)).toBe(false);
  });

  it('with --daemonize, through sudo, returns at once and keeps the VM running after the caller\'s session is killed', async () => {
    const common = (id: string, user: JailUser) => ['--id', id, '--exec-file', execFilePath, '--uid', String(user.uid), '--gid', String(user.gid), '--chroot-base-dir', base];
    const q = (args: string[]) => args.map((a) => `'${a}'`).join(' ');
    const daemon = { chrootBase: base, execFileName: EXEC_NAME, id: 'vm-daemon' };
    const attached = { chrootBase: base, execFileName: EXEC_NAME, id: 'vm-attached' };
    jails.push(daemon, attached);
    // A session of its own, as an SSH session is: one daemonized VM, one not (the control).
    const script = [
      `sudo -n ${q([jailerStandInPath, ...common('vm-daemon', userA), '--daemonize', '--', '--api-sock', SOCKET])}`,
      'echo "jailer exited $?"',
      `${q([jailerStandInPath, ...common('vm-attached', userB), '--', '--api-sock', SOCKET])} >/dev/null 2>&1 &`,
      'wait',
    ].join('\n');
    const session = spawn('sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    session.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await waitUntil(() => out.includes('jailer exited'), 'the daemonizing jailer to return');
    expect(out).toContain('jailer exited 0');
    for (const spec of [daemon, attached]) await waitUntil(() => existsSync(join(chrootDir(spec), SOCKET)) && readPid(spec) !== null, `${spec.id} to listen`);
    const daemonPid = readPid(daemon)!;
    const attachedPid = readPid(attached)!;

    const { ppid, sid } = sessionOf(daemonPid);
    expect(sid).not.toBe(session.pid); // setsid: a session of its own…
    expect(sid).not.toBe(daemonPid); // …of which it is not the leader (forked twice)
    expect(ppid).toBe(1);
    for (const fd of [0, 1, 2]) expect(readlinkSync(`/proc/${daemonPid}/fd/${fd}`)).toBe('/dev/null');
    expect(sessionOf(attachedPid).sid).toBe(session.pid);

    process.kill(-session.pid!, 'SIGKILL');
    await waitUntil(() => !isAlive(attachedPid), 'the attached VM to die with its session');
    expect(isAlive(daemonPid)).toBe(true);
    expect((await api(join(chrootDir(daemon), SOCKET), 'GET', '/')).status).toBe(200);
  });

  it('runs on an SSH test host through sudo, and its daemonized VM outlives the SSH session', async () => {
    const keys = await ensureTestUsers();
    const login = createJailUser('login', { home: true, shell: '/bin/bash' });
    const sudoers = `/etc/sudoers.d/${login.name}`;
    let host: TestHost | undefined;
    const spec = { chrootBase: base, execFileName: EXEC_NAME, id: 'vm-ssh' };
    jails.push(spec);
    try {
      execFileSync('usermod', ['-p', '*', login.name]);
      await mkdir(join(login.home!, '.ssh'), { mode: 0o700 });
      await writeFile(join(login.home!, '.ssh', 'authorized_keys'), await readFile(`${keys.key.keyPath}.pub`, 'utf8'));
      execFileSync('chown', ['-R', `${login.name}:${login.name}`, join(login.home!, '.ssh')]);
      // As the privileged helper will be: this user may run the jailer, and nothing else, as root.
      await writeFile(sudoers, `${login.name} ALL=(root) NOPASSWD: ${jailerStandInPath}\n`, { mode: 0o440 });
      host = await startTestHost({ address: '127.0.0.214', users: [login.name] });
      const command = [jailerStandInPath, '--id', 'vm-ssh', '--exec-file', execFilePath, '--uid', String(userA.uid), '--gid', String(userA.gid), '--chroot-base-dir', base, '--daemonize', '--', '--api-sock', SOCKET];
      const { stdout } = await run('ssh', ['-i', keys.key.keyPath, '-p', String(host.port), '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR', `${login.name}@${host.address}`, `sudo -n ${command.map((a) => `'${a}'`).join(' ')}; echo "jailer exited $?"`]);
      expect(stdout).toBe('jailer exited 0\n');
      // The SSH session is over; the VM answers.
      await waitUntil(() => existsSync(join(chrootDir(spec), SOCKET)) && readPid(spec) !== null, 'vm-ssh to listen');
      const pid = readPid(spec)!;
      expect(statusField(pid, 'Uid')).toEqual(Array(4).fill(String(userA.uid)));
      expect((await api(join(chrootDir(spec), SOCKET), 'GET', '/')).status).toBe(200);
    } finally {
      await host?.stop();
      await rm(sudoers, { force: true });
      removeJailUser(login);
    }
  });

  it('with --new-pid-ns, runs it as pid 1 of a new pid namespace, writes its host pid and exits 0', async () => {
    const vm = await startJailed('vm-pidns', userB, ['--new-pid-ns']);
    await waitUntil(() => vm.jailer.exitCode !== null || vm.jailer.signalCode !== null, 'the jailer to exit');
    expect(vm.jailer.exitCode).toBe(0);
    expect(vm.pid).not.toBe(vm.jailer.pid);
    expect(statusField(vm.pid, 'NSpid')).toEqual([String(vm.pid), '1']);
    expect(readlinkSync(`/proc/${vm.pid}/ns/pid`)).not.toBe(readlinkSync('/proc/self/ns/pid'));
    expect(statusField(vm.pid, 'Uid')).toEqual(Array(4).fill(String(userB.uid)));
    expect((await api(vm.socket, 'GET', '/')).status).toBe(200);
  });

  it('refuses a second start in a jail that still holds its devices, as the real jailer does', async () => {
    await killJailed(vmB.spec);
    const again = spawnSync(jailerStandInPath, ['--id', 'vm-b', '--exec-file', execFilePath, '--uid', String(userB.uid), '--gid', String(userB.gid), '--chroot-base-dir', base], { encoding: 'utf8' });
    expect(again.signal).toBe('SIGABRT');
    expect(again.stderr).toContain('Jailer error: Failed to create /dev/net/tun via mknod inside the jail: File exists (os error 17)');
  });

  it('once removed, leaves no process, mount, cgroup or directory behind', async () => {
    await removeJail(vmA.spec);
    expect(processesInJail(vmA.spec)).toEqual([]);
    expect(isAlive(vmA.pid)).toBe(false);
    expect(existsSync(jailDir(vmA.spec))).toBe(false);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(base);
    expect(await readdir(join(base, EXEC_NAME))).not.toContain('vm-a');
  });
});
