/**
 * Real OpenSSH test hosts: each is an `sshd` on its own loopback address (127.0.0.x) with its
 * own host key, serving real Linux users made for the tests. Needs root (to add the users and
 * to let sshd switch to them) and Debian's openssh-server.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killTree } from './process-tree';

const SSHD = '/usr/sbin/sshd';
const FIXTURES = join(tmpdir(), 'firedeck-test-users');

export interface TestUsers {
  /** Logs in with `keyPath` (no passphrase) or `passphraseKeyPath` (with `passphrase`). */
  key: { name: string; keyPath: string; passphraseKeyPath: string; passphrase: string };
  /** Logs in with a password only. */
  password: { name: string; password: string };
}

let usersReady: Promise<TestUsers> | undefined;

/** Creates (once per machine, idempotently) the Linux users and keys the test hosts serve. */
export function ensureTestUsers(): Promise<TestUsers> {
  usersReady ??= (async () => {
    await mkdir(FIXTURES, { recursive: true, mode: 0o700 });
    const users: TestUsers = {
      key: {
        name: 'fdtest-key',
        keyPath: join(FIXTURES, 'id_ed25519'),
        passphraseKeyPath: join(FIXTURES, 'id_ed25519_passphrase'),
        passphrase: 'correct horse battery staple',
      },
      password: { name: 'fdtest-pass', password: 'Fd-test-password-1' },
    };
    if (!existsSync(users.key.keyPath)) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'firedeck-test', '-f', users.key.keyPath]);
    }
    if (!existsSync(users.key.passphraseKeyPath)) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', users.key.passphrase, '-C', 'firedeck-test-pp', '-f', users.key.passphraseKeyPath]);
    }
    for (const name of [users.key.name, users.password.name]) {
      try {
        execFileSync('id', [name], { stdio: 'ignore' });
      } catch {
        execFileSync('useradd', ['--create-home', '--shell', '/bin/bash', name]);
      }
    }
    // '*' rather than useradd's '!': sshd refuses every method, keys included, for a locked account.
    execFileSync('usermod', ['-p', '*', users.key.name]);
    execFileSync('chpasswd', { input: `${users.password.name}:${users.password.password}\n` });
    const sshDir = `/home/${users.key.name}/.ssh`;
    await mkdir(sshDir, { recursive: true });
    const authorized = [await readFile(`${users.key.keyPath}.pub`, 'utf8'), await readFile(`${users.key.passphraseKeyPath}.pub`, 'utf8')].join('');
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
  try {
    execFileSync('id', [name], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--create-home', '--shell', '/bin/bash', name]);
  }
  execFileSync('usermod', ['-p', '*', name]);
  const sshDir = `/home/${name}/.ssh`;
  await mkdir(sshDir, { recursive: true });
  await writeFile(join(sshDir, 'authorized_keys'), await readFile(`${users.key.keyPath}.pub`, 'utf8'));
  execFileSync('chown', ['-R', `${name}:${name}`, sshDir]);
  return name;
}

export interface TestHostOptions {
  /** A loopback address of its own, e.g. 127.0.0.2. */
  address: string;
  /** Users besides the two standard ones that may log in (see ensureKeyUser). */
  users?: string[];
  /**
   * What /dev/kvm looks like to this host's sessions, set up in a private mount namespace:
   * `missing` (no /dev/kvm: ENOENT), `no-virtualization` (a device node that answers ENODEV, as
   * on Lima with Apple Silicon), `lima` (the same, on a machine that looks like a Lima guest).
   */
  kvm?: 'missing' | 'no-virtualization' | 'lima';
  /**
   * Directories that get an empty tmpfs of their own in the host's mount namespace, so that what a
   * test installs there (e.g. /usr/local/bin with sudo) stays invisible to the rest of the machine.
   */
  privateDirs?: string[];
  /** sshd's `AllowStreamLocalForwarding` (ssh-unix transport); default yes. */
  allowStreamLocalForwarding?: boolean;
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
  /** Gives the host a new host key (as a reinstalled or impostor host would have). */
  replaceHostKey(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  const users = await ensureTestUsers();
  await mkdir('/run/sshd', { recursive: true }); // sshd's privilege-separation directory
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
      `Port ${port}`,
      `ListenAddress ${options.address}`,
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
      'AllowTcpForwarding yes',
      'Subsystem sftp internal-sftp',
      'MaxStartups 200:30:400',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );

  let child: ChildProcess | undefined;
  let log = '';
  const start = async () => {
    const setup = [
      ...(options.kvm ? [kvmSetup(options.kvm, dir)] : []),
      ...(options.privateDirs ?? []).map((d) => `mount -t tmpfs -o mode=755 tmpfs '${d}'`),
    ];
    child = setup.length > 0
      ? spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', `set -e\n${setup.join('\n')}\nexec ${SSHD} -D -e -f '${config}'`], { stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (chunk) => (log += chunk));
    await waitForPort(options.address, port, () => `sshd on ${options.address}:${port} did not start:\n${log}`);
  };
  const kill = async () => {
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
    hostKey: publicKey,
    fingerprint: async () => execFileSync('ssh-keygen', ['-lf', `${hostKeyPath}.pub`], { encoding: 'utf8' }).split(' ')[1]!,
    start,
    kill,
    async replaceHostKey() {
      await kill();
      await generateKey();
      await start();
    },
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Mounts, inside the host's own mount namespace, the /dev/kvm it should present. */
function kvmSetup(kvm: NonNullable<TestHostOptions['kvm']>, dir: string): string {
  // A misc-class (major 10) node with a minor no driver registered: open() fails with ENODEV.
  const enodev = ['set -e', `mknod '${dir}/kvm' c 10 251`, `chmod 666 '${dir}/kvm'`, `mount --bind '${dir}/kvm' /dev/kvm`];
  if (kvm === 'no-virtualization') return enodev.join('\n');
  if (kvm === 'lima') return [...enodev, 'mount -t tmpfs tmpfs /mnt', 'mkdir /mnt/lima-cidata'].join('\n');
  // No /dev/kvm at all: a fresh /dev holding only what sshd and the shells need.
  return [
    'set -e',
    'mount -t tmpfs -o mode=755 tmpfs /dev',
    'mknod -m 666 /dev/null c 1 3; mknod -m 666 /dev/zero c 1 5; mknod -m 666 /dev/full c 1 7',
    'mknod -m 666 /dev/random c 1 8; mknod -m 666 /dev/urandom c 1 9; mknod -m 666 /dev/tty c 5 0',
    'mkdir /dev/pts /dev/shm; mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts; ln -s pts/ptmx /dev/ptmx',
  ].join('\n');
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

/** Lets a test user open /dev/kvm (the kvm group), as a set-up KVM host would. */
export function grantKvm(user: string): void {
  execFileSync('usermod', ['-aG', 'kvm', user]);
}

/** Lets a test user run anything with sudo without a password, as a set-up admin account has. */
export async function grantPasswordlessSudo(user: string): Promise<void> {
  await writeFile(`/etc/sudoers.d/firedeck-test-${user}`, `${user} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
}
