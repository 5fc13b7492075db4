/**
 * A test host with a network of its own: its sshd and sessions run in a network namespace whose
 * default route leads to an "internet" namespace, which serves HTTP and DNS (dnsmasq) on
 * addresses that exist only there. The host's /etc/resolv.conf (ip netns exec bind-mounts
 * /etc/netns/NAME/resolv.conf) names that DNS server. Private addresses exist only inside the
 * namespaces made here; everything is removed by stop(), and leftovers of an earlier run with the
 * same tag are removed first. Needs root, iproute2, socat, dnsmasq and nft.
 *
 *   internet ns  fdt-TAG-inet   inet0 10.252.0.1/30, lo: 10.253.0.80 (HTTP :80), 10.253.0.53 (DNS)
 *   host ns      fdt-TAG-host   uplink0 10.252.0.2/30, default via 10.252.0.1; sshd on 127.0.0.1:22
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestHost } from './ssh-test-hosts';
import type { TestHost, TestHostOptions } from './ssh-test-hosts';

export const INTERNET = {
  http: '10.253.0.80',
  dns: '10.253.0.53',
  /** The name the internet's DNS server answers (with the HTTP address). */
  name: 'www.fd-test.example',
  /** What the internet's HTTP server answers. */
  greeting: 'hello from the internet stand-in',
} as const;

export interface RootResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface NetnsHost extends TestHost {
  /** The host's network namespace (where the VM networks' host side lives). */
  netns: string;
  /** Runs a command as root in the host's mount and network namespaces (as the host's own root would). */
  root(args: readonly string[], input?: string): Promise<RootResult>;
  /** Starts a long-running command as root in the host's namespaces; it is killed by stop(). */
  spawnRoot(args: readonly string[]): ChildProcess;
  /** Runs a command as root in the host and returns its stdout; rejects on a non-zero exit. */
  rootText(...args: string[]): Promise<string>;
}

export interface NetnsRig {
  host: NetnsHost;
  stop(): Promise<void>;
}

const etcNetns = '/etc/netns';

/** Namespaces (and their processes) and /etc/netns entries of a rig with this tag, from any run. */
function removeRig(tag: string): void {
  const names = existsSync('/run/netns') ? readdirSync('/run/netns').filter((n) => n.startsWith(`fdt-${tag}-`)) : [];
  for (const name of names) {
    const pids = execFileSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const pid of pids) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone already
      }
    }
    execFileSync('ip', ['netns', 'del', name]);
  }
  if (existsSync(etcNetns)) {
    for (const name of readdirSync(etcNetns).filter((n) => n.startsWith(`fdt-${tag}-`))) execFileSync('rm', ['-rf', join(etcNetns, name)]);
    if (readdirSync(etcNetns).length === 0) rmdirSync(etcNetns);
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Waits for a line on the child's stdout or stderr that matches, or fails with what it said. */
function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = '';
    const timer = setTimeout(() => finish(new Error(`${what} did not start within ${timeoutMs} ms: ${said}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      said += chunk.toString();
      if (pattern.test(said)) finish();
    };
    const onExit = () => finish(new Error(`${what} exited: ${said}`));
    function finish(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

const httpServer = (address: string, port: number, greeting: string) =>
  `require('node:http').createServer((q, s) => s.end(${JSON.stringify(greeting)})).listen(${port}, ${JSON.stringify(address)}, () => console.log('listening'))`;

/**
 * Starts the internet namespace and a test host in a namespace of its own behind it. `tag` (a
 * few letters) keeps the namespace names of concurrent suites apart.
 */
export async function startNetnsRig(tag: string, hostOptions: Omit<TestHostOptions, 'netns'>): Promise<NetnsRig> {
  removeRig(tag);
  const inet = `fdt-${tag}-inet`;
  const hostNs = `fdt-${tag}-host`;
  const dir = await mkdtemp(join(tmpdir(), `firedeck-netns-${tag}-`));
  const children: ChildProcess[] = [];
  let host: TestHost | undefined;
  const stop = async () => {
    // Processes started in the host's namespaces first: they would keep its mount namespace alive.
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    await host?.stop();
    removeRig(tag);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    ip('netns', 'add', inet);
    ip('netns', 'add', hostNs);
    ip('-n', inet, 'link', 'set', 'lo', 'up');
    ip('-n', hostNs, 'link', 'set', 'lo', 'up');
    ip('-n', inet, 'link', 'add', 'inet0', 'type', 'veth', 'peer', 'name', 'uplink0', 'netns', hostNs);
    ip('-n', inet, 'addr', 'add', '10.252.0.1/30', 'dev', 'inet0');
    ip('-n', inet, 'link', 'set', 'inet0', 'up');
    ip('-n', inet, 'addr', 'add', `${INTERNET.http}/32`, 'dev', 'lo');
    ip('-n', inet, 'addr', 'add', `${INTERNET.dns}/32`, 'dev', 'lo');
    ip('-n', hostNs, 'addr', 'add', '10.252.0.2/30', 'dev', 'uplink0');
    ip('-n', hostNs, 'link', 'set', 'uplink0', 'up');
    ip('-n', hostNs, 'route', 'add', 'default', 'via', '10.252.0.1');
    await mkdir(join(etcNetns, hostNs), { recursive: true });
    await writeFile(join(etcNetns, hostNs, 'resolv.conf'), `# the host's resolver: the internet stand-in's DNS\nnameserver ${INTERNET.dns}\n`);

    const http = spawn('ip', ['netns', 'exec', inet, process.execPath, '-e', httpServer(INTERNET.http, 80, INTERNET.greeting)], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(http);
    const dns = spawn(
      'ip',
      ['netns', 'exec', inet, 'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--bind-interfaces', `--listen-address=${INTERNET.dns}`,
        `--address=/${INTERNET.name}/${INTERNET.http}`, `--pid-file=${join(dir, 'dnsmasq.pid')}`, '--log-facility=-', '--user=nobody'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(dns);
    await Promise.all([waitForOutput(http, /listening/, 'the internet’s HTTP server'), waitForOutput(dns, /started, version/, 'the internet’s dnsmasq')]);

    // VM namespaces the helper makes stay inside the host's mount namespace (/run/netns private).
    host = await startTestHost({ ...hostOptions, netns: hostNs, privateDirs: [...(hostOptions.privateDirs ?? []), '/run/netns'] });
    const started = host;
    const pidOf = () => {
      if (!started.pid) throw new Error(`the test host in ${hostNs} is not running`);
      return String(started.pid);
    };
    const netnsHost: NetnsHost = Object.assign(Object.create(started) as TestHost, {
      netns: hostNs,
      root: (args: readonly string[], input?: string) =>
        new Promise<RootResult>((resolve) => {
          const child = execFile('nsenter', ['--target', pidOf(), '--mount', '--net', '--', ...args], { encoding: 'utf8' }, (error, stdout, stderr) =>
            resolve({ stdout, stderr, code: error ? (typeof error.code === 'number' ? error.code : 1) : 0 }),
          );
          if (input !== undefined) child.stdin!.end(input);
          else child.stdin!.end();
        }),
      rootText: async (...args: string[]) => {
        const result = await netnsHost.root(args);
        if (result.code !== 0) throw new Error(`${args.join(' ')} exited ${result.code}: ${result.stderr}`);
        return result.stdout;
      },
      spawnRoot: (args: readonly string[]) => {
        const child = spawn('nsenter', ['--target', pidOf(), '--mount', '--net', '--', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(child);
        return child;
      },
    });
    return { host: netnsHost, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * A rig whose host is set up for sudo: /usr/local, /etc/sudoers.d and /var/log are the host's own
 * (tmpfs in its mount namespace), so the helper, its rules and its log (the host has no syslog
 * socket) never reach this machine; /etc/sudoers.d/fdtest-grants holds `sudoers` (mode 0440).
 */
export async function startSudoRig(tag: string, options: Omit<TestHostOptions, 'netns' | 'privateDirs'> & { sudoers: string }): Promise<NetnsRig> {
  const { sudoers, ...hostOptions } = options;
  const rig = await startNetnsRig(tag, { ...hostOptions, privateDirs: ['/usr/local', '/etc/sudoers.d', '/var/log'] });
  try {
    await rig.host.root(['tee', '/etc/sudoers.d/fdtest-grants'], sudoers);
    await rig.host.rootText('chmod', '0440', '/etc/sudoers.d/fdtest-grants');
    return rig;
  } catch (error) {
    await rig.stop();
    throw error;
  }
}

/** Waits for a child's output line matching `pattern` (e.g. a server's "listening"). */
export { waitForOutput };
