/**
 * Real OpenSSH test hosts: each is an `sshd` on its own loopback address (127.0.0.x) with its
 * own host key, serving real Linux users made for the tests. Needs root (to add the users and
 * to let sshd switch to them) and Debian's openssh-server.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descendants, killTree } from './process-tree';
import { recordCreated, recordCreatedGroup, recordCreatedUser, shadow } from './test-ledger';

const SSHD = '/usr/sbin/sshd';
const SFTP_SERVER = '/usr/lib/openssh/sftp-server';
const FIXTURES = join(tmpdir(), 'firedeck-test-users');

export interface TestUsers {
  /** Logs in with `keyPath` (no passphrase) or `passphraseKeyPath` (with `passphrase`). */
  key: { name: string; keyPath: string; passphraseKeyPath: string; passphrase: string; rsaKeyPath: string };
  /** Logs in with a password only. */
  password: { name: string; password: string };
}

let usersReady: Promise<TestUsers> | undefined;

/** Creates (once per machine, idempotently) the Linux users and keys the test hosts serve. */
export function ensureTestUsers(): Promise<TestUsers> {
  usersReady ??= (async () => {
    if (await mkdir(FIXTURES, { recursive: true, mode: 0o700 })) recordCreated({ kind: 'path', path: FIXTURES });
    const users: TestUsers = {
      key: {
        name: 'fdtest-key',
        keyPath: join(FIXTURES, 'id_ed25519'),
        passphraseKeyPath: join(FIXTURES, 'id_ed25519_passphrase'),
        passphrase: 'correct horse battery staple',
        rsaKeyPath: join(FIXTURES, 'id_rsa'),
      },
      password: { name: 'fdtest-pass', password: 'Fd-test-password-1' },
    };
    if (!existsSync(users.key.keyPath)) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'firedeck-test', '-f', users.key.keyPath]);
    }
    if (!existsSync(users.key.rsaKeyPath)) {
      execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '3072', '-N', '', '-C', 'firedeck-test-rsa', '-f', users.key.rsaKeyPath]);
    }
    if (!existsSync(users.key.passphraseKeyPath)) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', users.key.passphrase, '-C', 'firedeck-test-pp', '-f', users.key.passphraseKeyPath]);
    }
    for (const name of [users.key.name, users.password.name]) addUser(name);
    // '*' rather than useradd's '!': sshd refuses every method, keys included, for a locked account.
    execFileSync('usermod', ['-p', '*', users.key.name]);
    execFileSync('chpasswd', { input: `${users.password.name}:${users.password.password}\n` });
    const sshDir = `/home/${users.key.name}/.ssh`;
    await mkdir(sshDir, { recursive: true });
    const authorized = (await Promise.all([users.key.keyPath, users.key.passphraseKeyPath, users.key.rsaKeyPath].map((k) => readFile(`${k}.pub`, 'utf8')))).join('');
    await writeFile(join(sshDir, 'authorized_keys'), authorized);
    execFileSync('chown', ['-R', `${users.key.name}:${users.key.name}`, sshDir]);
    await chmod(join(sshDir, 'authorized_keys'), 0o600);
    return users;
  })();
  return usersReady;
}

/**
 * One more login user with the test key authorised, for tests that need hosts with separate
 * homes (e.g. several hosts each with its own ~/.firedeck). Pass it to startTestHost's `users`.
 */
export async function ensureKeyUser(name: string): Promise<string> {
  const users = await ensureTestUsers();
  addUser(name);
  execFileSync('usermod', ['-p', '*', name]);
  const sshDir = `/home/${name}/.ssh`;
  await mkdir(sshDir, { recursive: true });
  await writeFile(join(sshDir, 'authorized_keys'), await readFile(`${users.key.keyPath}.pub`, 'utf8'));
  execFileSync('chown', ['-R', `${name}:${name}`, sshDir]);
  return name;
}

/** A login user with a home, unless one of that name exists; one this run made goes in the test ledger. */
function addUser(name: string): void {
  try {
    execFileSync('id', [name], { stdio: 'ignore' });
    return;
  } catch {
    // not there yet
  }
  try {
    shadow('useradd', ['--create-home', '--shell', '/bin/bash', name]);
  } catch (err) {
    // Another test process of this run made it a moment ago: that one records it.
    if (/already exists/.test((err as Error).message)) return;
    throw err;
  }
  recordCreatedUser(name);
}

export type TestKvm = 'ok' | 'permission' | 'missing' | 'no-virtualization' | 'lima';

export interface TestHostOptions {
  /** A loopback address of its own, e.g. 127.0.0.2. */
  address: string;
  /** Users besides the two standard ones that may log in (see ensureKeyUser). */
  users?: string[];
  /**
   * What /dev/kvm looks like to this host's sessions. Every host runs sshd in a private mount
   * namespace with a /dev of its own, so no test depends on the machine's /dev/kvm (its owner,
   * its mode, whether a `kvm` group exists, or whether the machine has KVM at all):
   * `ok` (default: a node every user opens read-write), `permission` (a node of group
   * KVM_TEST_GROUP, mode 0660: EACCES unless the user is in that group, see grantKvm), `missing`
   * (no /dev/kvm: ENOENT), `no-virtualization` (a node that answers ENODEV, as on Lima with
   * Apple Silicon), `lima` (the same, on a machine that looks like a Lima guest).
   */
  kvm?: TestKvm;
  /**
   * Directories that get an empty tmpfs of their own in the host's mount namespace, so that what a
   * test installs there (e.g. /usr/local/bin with sudo) stays invisible to the rest of the machine.
   */
  privateDirs?: string[];
  /**
   * A network namespace (made by the caller, see netns-hosts.ts) that sshd and every session run
   * in. sshd listens on 127.0.0.1:22 inside it; `address`:`port` on this machine's loopback
   * reaches it through a Unix socket (socat at both ends), so no address is added outside it.
   */
  netns?: string;
  /** sshd's `AllowStreamLocalForwarding` (ssh-unix transport); default yes. */
  allowStreamLocalForwarding?: boolean;
  /** sshd's `AllowTcpForwarding`; default yes. */
  allowTcpForwarding?: boolean;
  /** sshd's `MaxSessions` (sessions per connection; OpenSSH's default is 10). */
  maxSessions?: number;
  /** sshd's `PubkeyAcceptedAlgorithms`, e.g. `rsa-sha2-512` for a server that takes no other signature. */
  pubkeyAcceptedAlgorithms?: string;
  /**
   * `internal` (default): sshd's in-process internal-sftp. `external`: Debian's default
   * `/usr/lib/openssh/sftp-server`, which sshd starts through the user's login shell, so whatever
   * the shell's startup files print lands in the SFTP stream (see setLoginNoise).
   */
  sftp?: 'internal' | 'external';
}

export interface TestHost {
  address: string;
  port: number;
  /** The host key's public blob (SSH wire format), as ssh2 presents it to hostVerifier. */
  hostKey(): Promise<Buffer>;
  /** `ssh-keygen -lf` of the host key: `SHA256:…`. */
  fingerprint(): Promise<string>;
  /** Starts sshd again on the same address, port and key after `kill()`. */
  start(): Promise<void>;
  /** SIGKILLs sshd and every session it serves, as a crash would. */
  kill(): Promise<void>;
  /** SIGSTOPs sshd and every session it serves: connections stay open but nothing answers (a stalled path). */
  freeze(): void;
  /** SIGCONTs what `freeze` stopped. */
  thaw(): void;
  /** Gives the host a new host key (as a reinstalled or impostor host would have). */
  replaceHostKey(): Promise<void>;
  stop(): Promise<void>;
  /** sshd's pid while it runs (its mount and network namespaces are the host's, for nsenter). */
  readonly pid: number | undefined;
}

export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  const users = await ensureTestUsers();
  // sshd's privilege-separation directory
  if (await mkdir('/run/sshd', { recursive: true })) recordCreated({ kind: 'path', path: '/run/sshd' });
  const dir = await mkdtemp(join(tmpdir(), 'firedeck-sshd-'));
  const hostKeyPath = join(dir, 'ssh_host_ed25519_key');
  const generateKey = async () => {
    await rm(hostKeyPath, { force: true });
    await rm(`${hostKeyPath}.pub`, { force: true });
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKeyPath]);
  };
  await generateKey();
  const port = await freePort(options.address);
  const config = join(dir, 'sshd_config');
  await writeFile(
    config,
    [
      `Port ${options.netns ? 22 : port}`,
      `ListenAddress ${options.netns ? '127.0.0.1' : options.address}`,
      `HostKey ${hostKeyPath}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'AuthorizedKeysFile .ssh/authorized_keys',
      'StrictModes no',
      'PubkeyAuthentication yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PermitRootLogin no',
      `AllowUsers ${[users.key.name, users.password.name, ...(options.users ?? [])].join(' ')}`,
      `AllowStreamLocalForwarding ${options.allowStreamLocalForwarding === false ? 'no' : 'yes'}`,
      `AllowTcpForwarding ${options.allowTcpForwarding === false ? 'no' : 'yes'}`,
      ...(options.maxSessions !== undefined ? [`MaxSessions ${options.maxSessions}`] : []),
      ...(options.pubkeyAcceptedAlgorithms ? [`PubkeyAcceptedAlgorithms ${options.pubkeyAcceptedAlgorithms}`] : []),
      `Subsystem sftp ${options.sftp === 'external' ? SFTP_SERVER : 'internal-sftp'}`,
      'MaxStartups 200:30:400',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );

  let child: ChildProcess | undefined;
  let bridge: ChildProcess | undefined;
  const bridgeSocket = join(dir, 'sshd.sock');
  let log = '';
  const kvmGroup = options.kvm === 'permission' ? ensureKvmTestGroup() : null;
  const start = async () => {
    const setup = [
      privateDev(options.kvm ?? 'ok', kvmGroup),
      ...(options.privateDirs ?? []).map((d) => `mount -t tmpfs -o mode=755 tmpfs '${d}'`),
    ];
    const inner = options.netns ? [`rm -f '${bridgeSocket}'`, `socat UNIX-LISTEN:'${bridgeSocket}',fork,mode=600 TCP:127.0.0.1:22 &`] : [];
    const unshare = ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', `set -e\n${setup.join('\n')}\n${inner.join('\n')}\nexec ${SSHD} -D -e -f '${config}'`];
    const [command, ...args] = options.netns ? ['ip', 'netns', 'exec', options.netns, ...unshare] : unshare;
    child = spawn(command!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (chunk) => (log += chunk));
    if (options.netns) {
      bridge = spawn('socat', [`TCP-LISTEN:${port},bind=${options.address},reuseaddr,fork`, `UNIX-CONNECT:${bridgeSocket}`], { stdio: 'ignore' });
      await waitForBanner(options.address, port, () => `sshd in ${options.netns} (bridged to ${options.address}:${port}) did not start:\n${log}`);
    } else {
      await waitForPort(options.address, port, () => `sshd on ${options.address}:${port} did not start:\n${log}`);
    }
  };
  const kill = async () => {
    if (bridge && bridge.exitCode === null && bridge.signalCode === null) {
      const gone = new Promise((resolve) => bridge!.once('exit', resolve));
      bridge.kill('SIGKILL');
      await gone;
    }
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once('exit', resolve));
    killTree(current.pid!);
    await exited;
  };
  await start();

  const publicKey = async () => Buffer.from((await readFile(`${hostKeyPath}.pub`, 'utf8')).split(' ')[1]!, 'base64');
  return {
    address: options.address,
    port,
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    hostKey: publicKey,
    fingerprint: async () => execFileSync('ssh-keygen', ['-lf', `${hostKeyPath}.pub`], { encoding: 'utf8' }).split(' ')[1]!,
    start,
    kill,
    freeze: () => signalTree(child, 'SIGSTOP'),
    thaw: () => signalTree(child, 'SIGCONT'),
    async replaceHostKey() {
      await kill();
      await generateKey();
      await start();
      // Resolves once the host presents the new key, not merely once its port answers.
      const blob = (await readFile(`${hostKeyPath}.pub`, 'utf8')).split(' ')[1]!;
      await waitForHostKey(options.address, port, blob, () => `sshd on ${options.address}:${port} does not present its new host key:\n${log}`);
    },
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh /dev for the host's mount namespace: what sshd, shells, QEMU (tun) and the emulator
 * need, plus the /dev/kvm this host should present. Built from scratch so that nothing of the
 * machine's own /dev/kvm shows through.
 */
function privateDev(kvm: TestKvm, kvmGroup: string | null): string {
  // With FIRECRACKER_BIN the real binary needs the real device (10:232) on a real KVM host;
  // otherwise `ok` is a node that opens read-write and does nothing (the emulator never uses KVM).
  const usable = process.env.FIRECRACKER_BIN ? 'c 10 232' : 'c 1 3';
  const node: Record<TestKvm, string[]> = {
    ok: [`mknod -m 666 /dev/kvm ${usable}`],
    permission: [`mknod -m 660 /dev/kvm ${usable}`, `chgrp '${kvmGroup}' /dev/kvm`],
    missing: [],
    // A misc-class (major 10) node with a minor no driver registered: open() fails with ENODEV.
    'no-virtualization': ['mknod -m 666 /dev/kvm c 10 251'],
    lima: ['mknod -m 666 /dev/kvm c 10 251', 'mount -t tmpfs tmpfs /mnt', 'mkdir /mnt/lima-cidata'],
  };
  return [
    'set -e',
    'mount -t tmpfs -o mode=755 tmpfs /dev',
    'mknod -m 666 /dev/null c 1 3; mknod -m 666 /dev/zero c 1 5; mknod -m 666 /dev/full c 1 7',
    'mknod -m 666 /dev/random c 1 8; mknod -m 666 /dev/urandom c 1 9; mknod -m 666 /dev/tty c 5 0',
    'mkdir /dev/net; mknod -m 666 /dev/net/tun c 10 200',
    'ln -s /proc/self/fd /dev/fd; ln -s /proc/self/fd/0 /dev/stdin; ln -s /proc/self/fd/1 /dev/stdout; ln -s /proc/self/fd/2 /dev/stderr',
    'mkdir /dev/pts /dev/shm; mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts; ln -s pts/ptmx /dev/ptmx',
    'mount -t tmpfs -o mode=1777 tmpfs /dev/shm',
    ...node[kvm],
  ].join('\n');
}

/** The group a `permission` host gives its /dev/kvm; made by the tests, never the machine's own `kvm`. */
export const KVM_TEST_GROUP = 'fdtest-kvm';

function ensureKvmTestGroup(): string {
  try {
    execFileSync('getent', ['group', KVM_TEST_GROUP], { stdio: 'ignore' });
  } catch {
    try {
      shadow('groupadd', ['--system', KVM_TEST_GROUP]);
      recordCreatedGroup(KVM_TEST_GROUP);
    } catch (err) {
      if (!/already exists/.test((err as Error).message)) throw err;
    }
  }
  return KVM_TEST_GROUP;
}

/** Starts an ssh-agent holding the test user's key; `socket` is its SSH_AUTH_SOCK. */
export async function startTestAgent(): Promise<{ socket: string; stop(): Promise<void> }> {
  const users = await ensureTestUsers();
  const dir = await mkdtemp(join(tmpdir(), 'firedeck-agent-'));
  const socket = join(dir, 'agent.sock');
  const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(socket); i++) await sleep(20);
  execFileSync('ssh-add', ['-q', users.key.keyPath], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
  return {
    socket,
    async stop() {
      agent.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function signalTree(child: ChildProcess | undefined, signal: NodeJS.Signals): void {
  if (!child?.pid || child.exitCode !== null) return;
  for (const pid of [child.pid, ...descendants(child.pid)]) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

async function freePort(address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, address, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(address: string, port: number, describe: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: address, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(describe());
}

/** Waits until `address:port` answers with an SSH banner (a bridge accepts before sshd is up). */
async function waitForBanner(address: string, port: number, describe: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const banner = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: address, port });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('SSH-')));
      socket.once('error', () => done(false));
      socket.once('close', () => done(false));
      socket.setTimeout(2_000, () => done(false));
    });
    if (banner) return;
    await sleep(50);
  }
  throw new Error(describe());
}

/** Waits until `address:port` presents this ed25519 host key (base64 blob), as ssh-keyscan reads it. */
async function waitForHostKey(address: string, port: number, blob: string, describe: () => string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const presented = await new Promise<string>((resolve) =>
      execFile('ssh-keyscan', ['-T', '5', '-t', 'ed25519', '-p', String(port), address], { encoding: 'utf8' }, (_error, stdout) => resolve(stdout)),
    );
    if (presented.split('\n').some((line) => line.split(' ')[2] === blob)) return;
    await sleep(50);
  }
  throw new Error(describe());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Makes a test user's SSH sessions see stand-in commands first (e.g. a `uname` that answers
 * aarch64, or a `curl` that cannot reach anything), through ~/bin at the front of PATH set in
 * ~/.bashrc, which bash reads for SSH commands before its interactive-only part.
 */
export async function setFakeCommands(user: string, commands: Record<string, string>): Promise<void> {
  const home = `/home/${user}`;
  await mkdir(`${home}/bin`, { recursive: true });
  for (const [name, script] of Object.entries(commands)) {
    await writeFile(`${home}/bin/${name}`, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  }
  const bashrc = await readFile(`${home}/.bashrc`, 'utf8').catch(() => '');
  const line = 'export PATH="$HOME/bin:$PATH" # firedeck test stand-ins';
  if (!bashrc.includes(line)) await writeFile(`${home}/.bashrc`, `${line}\n${bashrc}`);
  execFileSync('chown', ['-R', `${user}:${user}`, `${home}/bin`, `${home}/.bashrc`]);
}

/** Lets a test user open the /dev/kvm of `permission` hosts (their group), as a set-up KVM host would. */
export function grantKvm(user: string): void {
  execFileSync('usermod', ['-aG', ensureKvmTestGroup(), user]);
}

/** Takes a test user out of the `permission` hosts' group again (a user from an earlier run may be in it). */
export function revokeKvm(user: string): void {
  try {
    execFileSync('gpasswd', ['-d', user, KVM_TEST_GROUP], { stdio: 'ignore' });
  } catch {
    // not a member, or the group does not exist yet
  }
}

/**
 * Makes a test user's login shell print `text` for every SSH command, as a chatty ~/.bashrc
 * (a banner, `pyenv init`) does on Debian, where bash reads ~/.bashrc for non-interactive SSH
 * commands too. Called with no text, removes it again.
 */
export async function setLoginNoise(user: string, text?: string): Promise<void> {
  const home = `/home/${user}`;
  const marker = '# firedeck test login noise';
  const bashrc = (await readFile(`${home}/.bashrc`, 'utf8').catch(() => '')).split('\n').filter((l) => !l.endsWith(marker)).join('\n');
  const line = text === undefined ? '' : `printf '%s\\n' '${text.replace(/'/g, "'\\''")}' ${marker}\n`;
  await writeFile(`${home}/.bashrc`, `${line}${bashrc}`);
  execFileSync('chown', [`${user}:${user}`, `${home}/.bashrc`]);
}

/** Lets a test user run anything with sudo without a password, as a set-up admin account has. */
export async function grantPasswordlessSudo(user: string): Promise<void> {
  const rule = `/etc/sudoers.d/firedeck-test-${user}`;
  if (!existsSync(rule)) recordCreated({ kind: 'path', path: rule });
  await writeFile(rule, `${user} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
}
