import { execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { guestPublicKey } from '../electron/wizard/guest-key';
import { startNetnsRig } from '../test/support/netns-hosts';
import { ensureKeyUser, ensureTestUsers, startTestHost } from '../test/support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../test/support/test-core';
import type { TestCore } from '../test/support/test-core';
import { bestSeconds } from './harness';
import type { BenchResult } from './harness';

const run = promisify(execFile);
const GUEST_USER = 'fdguest-bench';
const KEYSTROKES = 200;
const FILES = 1000;

/**
 * Into the guest, against plain OpenSSH to the same guest sshd through the same host (ProxyJump,
 * with the ssh_config Firedeck writes): keystroke echo latency in a terminal (a pty running
 * `cat`, so the guest's tty echoes each key at once), and sending 1,000 small files (Firedeck's
 * sync, SHA-256 checked, vs `scp -r -J` and `rsync -e 'ssh -J …'`), all in the same run. The
 * guest is a real sshd in a network namespace of its own, reached from a real sshd host.
 */
export async function benchGuest(): Promise<BenchResult[]> {
  await ensureTestUsers();
  await ensureKeyUser(GUEST_USER);
  const host = await startTestHost({ address: '127.0.0.235' });
  const rig = await startNetnsRig('gsb', { address: '127.0.0.236', users: [GUEST_USER] });
  const t = await startTestCore({ guestAddress: () => Promise.resolve({ host: rig.host.address, port: rig.host.port, user: GUEST_USER }) });
  try {
    await writeFile(`/home/${GUEST_USER}/.ssh/authorized_keys`, `${await guestPublicKey(t.dataDir)}\n`);
    const hostId = await connectTestHost(t, host);
    const vm = { hostId, id: 'bench-guest' };
    const ssh = await t.call('guest.sshCommand', vm);
    // The first Firedeck connection records the guest's host key, which plain ssh then checks.
    await t.call('guest.status', vm);
    const sshArgs = ['-F', ssh.configPath, '-o', 'BatchMode=yes'];
    return [...(await echoLatency(t, vm, sshArgs, ssh.alias)), ...(await smallFiles(t, vm, sshArgs, ssh.alias))];
  } finally {
    await t.close();
    await rig.stop();
    await host.stop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function echoLatency(t: TestCore, vm: { hostId: string; id: string }, sshArgs: string[], alias: string): Promise<BenchResult[]> {
  // Firedeck: the router's terminal channels and events, as the window uses them (less the WebSocket hop).
  const { sessionId } = await t.call('guest.terminalOpen', { ...vm, cols: 80, rows: 24 });
  let seen = '';
  let waiter: (() => void) | undefined;
  const off = t.core.events.subscribe((event, payload) => {
    const p = payload as { sessionId?: string; data?: string };
    if (event === 'guest.terminalOutput' && p.sessionId === sessionId) {
      seen += p.data;
      waiter?.();
    }
  });
  const waitFor = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no echo of ${JSON.stringify(text)}: ${JSON.stringify(seen.slice(-200))}`)), 10_000);
      waiter = () => {
        if (seen.includes(text)) {
          clearTimeout(timer);
          waiter = undefined;
          resolve();
        }
      };
      waiter();
    });
  await t.call('guest.terminalInput', { sessionId, data: 'stty -icanon; exec cat\n' });
  await waitFor('exec cat');
  const firedeck: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const key = String.fromCharCode(97 + (i % 26));
    seen = '';
    const start = performance.now();
    await t.call('guest.terminalInput', { sessionId, data: key });
    await waitFor(key);
    firedeck.push(performance.now() - start);
  }
  off();
  await t.call('guest.terminalClose', { sessionId });

  // Plain OpenSSH: ssh -tt through the host (ProxyJump), the same guest sshd, a pty running cat.
  const child = spawn('ssh', [...sshArgs, '-tt', alias, 'stty -icanon; exec cat'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let onOut: (() => void) | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    onOut?.();
  });
  const until = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`ssh: no echo of ${JSON.stringify(text)}: ${JSON.stringify(out.slice(-200))}`)), 15_000);
      onOut = () => {
        if (out.includes(text)) {
          clearTimeout(timer);
          onOut = undefined;
          resolve();
        }
      };
      onOut();
    });
  // Ready once the guest's tty echoes a first key.
  child.stdin.write('.');
  await until('.');
  const plain: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    const key = String.fromCharCode(97 + (i % 26));
    out = '';
    const start = performance.now();
    child.stdin.write(key);
    await until(key);
    plain.push(performance.now() - start);
  }
  child.kill();
  const [value, baseline] = [median(firedeck), median(plain)];
  return [
    {
      name: 'guest terminal keystroke echo vs ssh -J',
      unit: 'ms',
      value,
      baseline,
      ratio: value / baseline,
      target: '<= 1.5',
      note: `median of ${KEYSTROKES} keys each way; Firedeck through its router and events (the window adds one WebSocket or IPC hop), ssh -tt through the same host with ProxyJump. p90: Firedeck ${[...firedeck].sort((a, b) => a - b)[Math.floor(KEYSTROKES * 0.9)]!.toFixed(2)} ms, ssh ${[...plain].sort((a, b) => a - b)[Math.floor(KEYSTROKES * 0.9)]!.toFixed(2)} ms.`,
    },
  ];
}

async function smallFiles(t: TestCore, vm: { hostId: string; id: string }, sshArgs: string[], alias: string): Promise<BenchResult[]> {
  await t.call('workspaces.create', { id: 'bench-guest' });
  const source = join(t.dataDir, 'workspaces', 'bench-guest', 'many');
  for (let d = 0; d < 10; d++) {
    await mkdir(join(source, `dir-${d}`), { recursive: true });
    for (let f = 0; f < FILES / 10; f++) await writeFile(join(source, `dir-${d}`, `file-${f}.txt`), randomBytes(512 + ((d * 131 + f * 17) % 3584)));
  }
  const guestHome = `/home/${GUEST_USER}`;
  const clean = (dir: string) => run('ssh', [...sshArgs, alias, `rm -rf ${dir}`]);
  const firedeck = async () => {
    await clean(`${guestHome}/fd`);
    await t.call('guest.sync', { ...vm, workspaceId: 'bench-guest', path: 'many', guestDir: `${guestHome}/fd`, transferId: randomUUID() });
  };
  const scp = async () => {
    await clean(`${guestHome}/scp`);
    await run('scp', [...sshArgs, '-q', '-r', source, `${alias}:${guestHome}/scp`]);
  };
  const rsync = async () => {
    await clean(`${guestHome}/rsync`);
    await run('rsync', ['-a', '-e', `ssh ${sshArgs.join(' ')}`, `${source}/`, `${alias}:${guestHome}/rsync/`]);
  };
  // The time of the clean-up is taken out: it is the same ssh command for each.
  const cleanOnly = () => clean(`${guestHome}/nothing`);
  let [tFd, tScp, tRsync, tClean] = [Infinity, Infinity, Infinity, Infinity];
  for (let round = 0; round < 3; round++) {
    tFd = Math.min(tFd, await bestSeconds(firedeck, 1));
    tScp = Math.min(tScp, await bestSeconds(scp, 1));
    tRsync = Math.min(tRsync, await bestSeconds(rsync, 1));
    tClean = Math.min(tClean, await bestSeconds(cleanOnly, 1));
  }
  [tFd, tScp, tRsync] = [tFd - tClean, tScp - tClean, tRsync - tClean];
  // Nothing changed: what a second sync costs, against rsync's own no-change run.
  const unchangedFd = await bestSeconds(() => t.call('guest.sync', { ...vm, workspaceId: 'bench-guest', path: 'many', guestDir: `${guestHome}/fd`, transferId: randomUUID() }), 3);
  const unchangedRsync = await bestSeconds(() => run('rsync', ['-a', '-e', `ssh ${sshArgs.join(' ')}`, `${source}/`, `${alias}:${guestHome}/rsync/`]), 3);
  await rm(source, { recursive: true, force: true });
  const note = 'Firedeck sends each file under a temp name, checks every SHA-256 in the guest, then renames; scp and rsync check nothing of the kind.';
  return [
    { name: `sync ${FILES} small files into the guest vs scp -r -J`, unit: 's', value: tFd, baseline: tScp, ratio: tFd / tScp, target: '<= 1.5', note },
    { name: `sync ${FILES} small files into the guest vs rsync -e 'ssh -J'`, unit: 's', value: tFd, baseline: tRsync, ratio: tFd / tRsync, target: '<= 1.5' },
    { name: `sync of ${FILES} unchanged files vs rsync`, unit: 's', value: unchangedFd, baseline: unchangedRsync, ratio: unchangedFd / unchangedRsync, target: '<= 1.5' },
  ];
}
