import { execFileSync } from 'node:child_process';
import { chmod, copyFile } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HELPER_PATH } from '../../../../electron/network/network-helper';
import type { VmSummary } from '../../../../shared/channels/vms';
import { INTERNET, startNetnsRig } from '../../../support/netns-hosts';
import type { NetnsHost, NetnsRig } from '../../../support/netns-hosts';
import { ensureRealGuest } from '../../../support/real-guest';
import { ensureKeyUser } from '../../../support/ssh-test-hosts';
import { connectTestHost, failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';
import { installFirecrackerFor, processesOf, removeVmsOf } from '../../../support/vm-fixtures';

/*
 * VM networks end to end: the app boots microVMs (the emulator handing the boot to the real
 * Debian guest under QEMU, inside the VM's namespace through the helper's net-exec) on a host
 * that lives in a network namespace whose default route leads to an "internet" namespace.
 */

const BOOT_MS = 240_000;
const PROMPT = 'root@firedeck-guest:~# ';
let rig: NetnsRig;
let host: NetnsHost;
let t: TestCore;
let user: string;
let hostId: string;
let kernel: string;
let rootfs: string;

async function root(...args: string[]): Promise<string> {
  const result = await host.root(args);
  if (result.code !== 0) throw new Error(`${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/** What is left of VM networks in the host: namespaces, fdv veths, Firedeck's nft table. */
async function leftovers(): Promise<string[]> {
  const netns = (await root('ip', 'netns', 'list')).split('\n').filter((l) => l.startsWith('fd'));
  const veths = (await root('ip', '-o', 'link', 'show')).split('\n').filter((l) => /^\d+: fdv\d+/.test(l));
  const tables = (await root('nft', 'list', 'tables')).split('\n').filter((l) => l.includes('firedeck'));
  return [...netns, ...veths, ...tables];
}

/** A guest command printing what an HTTP server answers (the guest's busybox wget crashes on this kernel; bash's /dev/tcp does not). */
const httpGet = (address: string) =>
  `timeout 10 bash -c 'exec 3<>/dev/tcp/${address}/80; printf "GET / HTTP/1.0\\r\\nHost: ${address}\\r\\n\\r\\n" >&3; cat <&3'`;

/** The first line a TCP server at address:port sends, read from inside the host (an sshd says SSH-2.0-…). */
const bannerFromHost = (address: string, port = 22) =>
  root(process.execPath, '-e', `const s = require('node:net').connect(${port}, ${JSON.stringify(address)}); s.setTimeout(10000, () => process.exit(3)); s.once('data', (d) => { console.log(d.toString().split('\\r\\n')[0]); process.exit(0); }); s.on('error', (e) => { console.error(e.message); process.exit(2); });`);

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A serial console session on a VM: what it printed, and typing into it. */
async function openConsole(id: string) {
  let text = '';
  const { sessionId } = await t.call('vms.consoleOpen', { hostId, id });
  const stop = t.core.events.subscribe((event, payload) => {
    if (event === 'vms.consoleOutput' && (payload as { sessionId: string }).sessionId === sessionId) text += (payload as { data: string }).data;
  });
  const console = {
    text: () => text,
    wait: (needle: string, ms = 30_000) => until(() => text.includes(needle), ms, `"${needle}" on the console of ${id}`, () => `; console so far:\n${text.slice(-1500)}`),
    async type(data: string) {
      await t.call('vms.consoleInput', { sessionId, data });
    },
    /** Runs a command at the root prompt and returns what it printed. */
    async run(command: string, ms = 30_000): Promise<string> {
      const marker = `fdmark${Math.random().toString(36).slice(2, 8)}`;
      const from = text.length;
      await console.type(`${command}; echo "${marker}-$((40 + 2))"\n`);
      await console.wait(`${marker}-42`, ms);
      return text.slice(from);
    },
    async login() {
      await console.wait('firedeck-guest login: ', BOOT_MS);
      await console.type('root\n');
      await console.wait(PROMPT);
    },
    async close() {
      stop();
      await t.call('vms.consoleClose', { sessionId });
    },
  };
  return console;
}

/** Boots a VM with the real guest and default settings; returns its summary and the boot steps' times. */
async function createVm(id: string): Promise<{ vm: VmSummary; stepMs: Record<string, number> }> {
  const started: Record<string, number> = {};
  const stepMs: Record<string, number> = {};
  const stop = t.core.events.subscribe((event, payload) => {
    if (event !== 'vms.stepProgressed') return;
    const p = payload as { id: string; step: string; status: string };
    if (p.id !== id) return;
    if (p.status === 'running') started[p.step] = performance.now();
    else if (started[p.step] !== undefined) stepMs[p.step] = Math.round(performance.now() - started[p.step]!);
  });
  const began = performance.now();
  try {
    const vm = await t.call('vms.create', { hostId, id, vcpus: 1, memoryMib: 256, kernel, rootfs: await diskFor(id) });
    stepMs.total = Math.round(performance.now() - began);
    return { vm, stepMs };
  } finally {
    stop();
  }
}

/** Each VM gets its own copy of the guest disk (as the app's images do). */
async function diskFor(id: string): Promise<string> {
  const path = `/home/${user}/.firedeck/images/x86_64/rootfs-${id}.ext4`;
  execFileSync('cp', ['--sparse=always', rootfs, path]);
  execFileSync('chown', [`${user}:${user}`, path]);
  return path;
}

beforeAll(async () => {
  user = await ensureKeyUser('fdvm-net');
  const guest = await ensureRealGuest();
  rig = await startNetnsRig('vmnet', { address: '127.0.0.73', users: [user], privateDirs: ['/usr/local', '/etc/sudoers.d', '/var/log'] });
  host = rig.host;
  await host.root(['tee', '/etc/sudoers.d/fdtest-grants'], `${user} ALL=(ALL) NOPASSWD: ALL\n`);
  await root('chmod', '0440', '/etc/sudoers.d/fdtest-grants');
  await installFirecrackerFor(user);
  kernel = `/home/${user}/.firedeck/images/x86_64/vmlinux-6.1.999-guest`;
  await copyFile(guest.kernelPath, kernel);
  rootfs = await guest.ext4For(`/home/${user}/.firedeck/images/x86_64`, { name: 'rootfs-base.ext4' });
  await chmod(rootfs, 0o644);
  execFileSync('chown', ['-R', `${user}:${user}`, `/home/${user}/.firedeck`]);
  t = await startTestCore({ vmStopTimeoutMs: 3_000 });
  hostId = await connectTestHost(t, host, { user, label: 'vm-net' });
  expect(await t.call('network.install', { hostId })).toMatchObject({ verified: true });
}, 1_800_000);

afterEach(async () => {
  // A failed test must not leave VMs (and their networks) for the next one.
  for (const vm of (await t.call('vms.list')).filter((v) => v.hostId === hostId)) await t.call('vms.delete', { hostId, id: vm.id }).catch(() => {});
});

afterAll(async () => {
  await t?.close();
  if (user) await removeVmsOf(user);
  await rig?.stop();
});

describe('a microVM with the default network', () => {
  it('reaches the internet, resolves a name through the host’s resolver, and is reached from the host; delete leaves nothing', async () => {
    const { vm, stepMs } = await createVm('net-a');
    console.log(`boot with network (Create → InstanceStart answered), ms: ${JSON.stringify(stepMs)}`);
    expect(vm).toMatchObject({ state: 'running', network: { hostAddress: '10.231.0.2', guestAddress: '172.16.0.2', mac: '06:00:AC:10:00:02' } });
    expect(vm.networkProblem).toBeUndefined();
    // Firecracker runs as the user, inside the VM's namespace.
    const pid = (await root('cat', `/home/${user}/.firedeck/vms/net-a/firecracker.pid`)).trim();
    expect(await root('ip', 'netns', 'identify', pid)).toMatch(/^fd\d+-net-a\n$/);
    expect((await root('stat', '-c', '%U', `/proc/${pid}`)).trim()).toBe(user);

    const guest = await openConsole('net-a');
    const loginBegan = performance.now();
    await guest.login();
    console.log(`guest login prompt after ${Math.round(performance.now() - loginBegan)} ms more`);
    expect(await guest.run('ip -4 -o addr show eth0')).toContain('inet 172.16.0.2/30');
    expect(await guest.run(httpGet(INTERNET.http))).toContain(INTERNET.greeting);
    expect(await guest.run('cat /etc/resolv.conf')).toContain(`nameserver ${INTERNET.dns}`);
    expect(await guest.run(`getent ahostsv4 ${INTERNET.name}`)).toMatch(new RegExp(`${INTERNET.http.replaceAll(".", "\\.")}\\s+STREAM`));
    await guest.close();
    await until(async () => (await bannerFromHost('10.231.0.2').catch(() => '')).startsWith('SSH-2.0-'), 60_000, 'the guest’s sshd from the host');

    expect((await t.call('network.list', { hostId })).networks).toMatchObject([{ vmId: 'net-a', hostAddress: '10.231.0.2', complete: true, vmDirExists: true }]);
    await t.call('vms.delete', { hostId, id: 'net-a' });
    expect(await leftovers()).toEqual([]);
    expect(processesOf(user, 'net-a')).toEqual([]);
  }, 600_000);

  it('two clones of one networked snapshot run at once, each with its own namespace and host address, both reachable', async () => {
    await createVm('net-src');
    const guest = await openConsole('net-src');
    await guest.login();
    await guest.close();
    await t.call('vms.snapshot', { hostId, id: 'net-src' });
    await t.call('vms.kill', { hostId, id: 'net-src' });
    const clones = [await t.call('vms.restore', { hostId, id: 'net-src', newId: 'net-c1' }), await t.call('vms.restore', { hostId, id: 'net-src', newId: 'net-c2' })];
    const [one, two] = clones.map((c) => c.network!);
    expect(one).toMatchObject({ hostAddress: expect.stringMatching(/^10\.231\.0\.\d+$/), guestAddress: '172.16.0.2', mac: '06:00:AC:10:00:02' });
    expect(two).toMatchObject({ guestAddress: '172.16.0.2', mac: '06:00:AC:10:00:02' });
    expect(two!.hostAddress).not.toBe(one!.hostAddress);
    const namespaces = (await root('ip', 'netns', 'list')).split('\n').filter((l) => /^fd\d+-net-c[12]\b/.test(l));
    expect(namespaces).toHaveLength(2);
    for (const clone of clones) {
      await until(async () => (await bannerFromHost(clone.network!.hostAddress).catch(() => '')).startsWith('SSH-2.0-'), 60_000, `${clone.id}’s sshd from the host`);
    }
    // Each clone reaches out on its own: the internet answers both.
    for (const clone of clones) {
      const c = await openConsole(clone.id);
      await c.type('\n');
      await c.wait(PROMPT);
      expect(await c.run(httpGet(INTERNET.http))).toContain(INTERNET.greeting);
      await c.close();
    }
    for (const id of ['net-c1', 'net-c2', 'net-src']) await t.call('vms.delete', { hostId, id });
    expect(await leftovers()).toEqual([]);
  }, 900_000);

  it('a helper that was changed on the host stops the boot with a remedy, leaving nothing; reinstalling mends it', async () => {
    await root('sh', '-c', `printf '\\n# changed\\n' >> ${HELPER_PATH}`);
    const failed = await failureOf(createVm('net-t'));
    expect(failed).toMatchObject({ code: 'HELPER_TAMPERED', message: expect.stringContaining('TAMPERED'), remedy: expect.stringContaining('reinstall'), details: { step: 'net.up' } });
    expect(await root('ls', '-A', `/home/${user}/.firedeck/vms`)).toBe('');
    expect(await leftovers()).toEqual([]);
    expect(await t.call('network.install', { hostId })).toMatchObject({ verified: true });
  });

  it('a host without the helper boots the VM without a network and says why', async () => {
    await t.call('network.uninstall', { hostId });
    const { vm } = await createVm('net-none');
    expect(vm).toMatchObject({ state: 'running', networkProblem: { message: expect.stringContaining('Started without a network'), remedy: expect.stringContaining('Install') } });
    expect(vm.network).toBeUndefined();
    await t.call('vms.delete', { hostId, id: 'net-none' });
    expect(await t.call('network.install', { hostId })).toMatchObject({ verified: true });
  });
});
