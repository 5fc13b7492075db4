import { execFileSync, spawnSync } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetworkService } from '../../../../electron/network/network-service';
import type { VmNetwork } from '../../../../electron/network/network-service';
import { HELPER_PATH, HELPER_TEXT } from '../../../../electron/network/network-helper';
import { INTERNET, startSudoRig, waitForOutput } from '../../../support/netns-hosts';
import type { NetnsHost, NetnsRig } from '../../../support/netns-hosts';
import { ensureKeyUser } from '../../../support/ssh-test-hosts';
import { connectTestHost, failureOf, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';

const SUDO_PASSWORD = 'Fd-net-sudo-1';
let rig: NetnsRig;
let host: NetnsHost;
let t: TestCore;
let admin: string;
let typer: string;
let adminHost: string;
let typerHost: string;

/** Runs root's command in the host and returns its stdout, failing the test on a non-zero exit. */
const root = (...args: string[]) => host.rootText(...args);

/** What is left of VM networks in the host: namespaces, fdv veths, Firedeck's nft table. */
async function leftovers(): Promise<string[]> {
  const netns = (await root('ip', 'netns', 'list')).split('\n').filter((l) => l.startsWith('fd'));
  const veths = (await root('ip', '-o', 'link', 'show')).split('\n').filter((l) => /^\d+: fdv\d+/.test(l));
  const tables = (await root('nft', 'list', 'tables')).split('\n').filter((l) => l.includes('firedeck'));
  const files = (await root('ls', '-A', '/run/netns')).split('\n').filter((l) => l.startsWith('fd'));
  return [...netns, ...veths, ...tables, ...files];
}

/**
 * A process standing in for the guest of a VM: its own namespace, joined to the VM namespace by
 * a veth that takes tap0's place (same name, same 172.16.0.1/30), holding 172.16.0.2/30 with
 * the gateway the ip= argument names, and an HTTP server on :8080.
 */
async function guestStandIn(network: VmNetwork, name: string) {
  const guest = `fdtg-${name}`;
  await root('ip', 'netns', 'add', guest);
  await root('ip', '-n', network.netns, 'link', 'del', network.tap);
  await root('ip', 'link', 'add', network.tap, 'netns', network.netns, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', guest);
  await root('ip', '-n', network.netns, 'addr', 'add', '172.16.0.1/30', 'dev', network.tap);
  await root('ip', '-n', network.netns, 'link', 'set', network.tap, 'up');
  await root('ip', '-n', guest, 'link', 'set', 'lo', 'up');
  await root('ip', '-n', guest, 'addr', 'add', `${network.guestAddress}/30`, 'dev', 'eth0');
  await root('ip', '-n', guest, 'link', 'set', 'eth0', 'up');
  await root('ip', '-n', guest, 'route', 'add', 'default', 'via', '172.16.0.1');
  const server = host.spawnRoot(['ip', 'netns', 'exec', guest, process.execPath, '-e',
    `require('node:http').createServer((q, s) => s.end('guest ${name}')).listen(8080, '${network.guestAddress}', () => console.log('listening'))`]);
  await waitForOutput(server, /listening/, `the guest stand-in ${name}`);
  const run = (code: string) => root('ip', 'netns', 'exec', guest, process.execPath, '-e', code);
  return {
    fetch: (url: string) => run(`fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(5000) }).then(async (r) => console.log(await r.text()))`),
    resolve: (servers: string[], nameToResolve: string) =>
      run(`const r = new (require('node:dns').promises.Resolver)({ timeout: 2000, tries: 2 }); r.setServers(${JSON.stringify(servers)}); r.resolve4(${JSON.stringify(nameToResolve)}).then((a) => console.log(a.join(',')))`),
    async remove() {
      server.kill('SIGKILL');
      await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve(null)));
      await root('ip', 'netns', 'del', guest);
    },
  };
}

const hostFetch = (url: string) => root('curl', '-sS', '--max-time', '5', url);

beforeAll(async () => {
  admin = await ensureKeyUser('fdnet-admin');
  typer = await ensureKeyUser('fdnet-typer');
  execFileSync('chpasswd', { input: `${typer}:${SUDO_PASSWORD}\n` });
  rig = await startSudoRig('net', { address: '127.0.0.71', users: [admin, typer], sudoers: `${admin} ALL=(ALL) NOPASSWD: ALL\n${typer} ALL=(ALL) ALL\n` });
  host = rig.host;
  t = await startTestCore();
  adminHost = await connectTestHost(t, host, { user: admin, label: 'net-admin' });
  typerHost = await connectTestHost(t, host, { user: typer, label: 'net-typer' });
  // The repair each connect starts would remove the networks made here by hand (no VM has them).
  await Promise.all([t.core.networkRepair.settled(adminHost), t.core.networkRepair.settled(typerHost)]);
});

afterAll(async () => {
  await t?.close();
  await rig?.stop();
});

describe('the network helper', () => {
  it('installs with passwordless sudo, and status then calls it verified', async () => {
    expect(await t.call('network.status', { hostId: adminHost })).toMatchObject({ installed: false, verified: false, problem: { code: 'HELPER_MISSING' } });
    const shown = await t.call('network.helper', { hostId: adminHost });
    expect(shown).toMatchObject({ path: HELPER_PATH, text: HELPER_TEXT, sudoersLine: `${admin} ALL=(root) NOPASSWD: ${HELPER_PATH}`, sudoersPath: `/etc/sudoers.d/firedeck-${admin}` });
    expect(await t.call('network.install', { hostId: adminHost })).toMatchObject({ installed: true, verified: true, version: '1', sudoersInstalled: true });
    expect(await root('stat', '-c', '%U:%G %a', HELPER_PATH, `/etc/sudoers.d/firedeck-${admin}`)).toBe('root:root 755\nroot:root 440\n');
    expect(await root('cat', `/etc/sudoers.d/firedeck-${admin}`)).toContain(`${shown.sudoersLine}\n`);
    expect(await root('ls', '/etc/sudoers.d')).toBe(`fdtest-grants\nfiredeck-${admin}\n`);
  });

  it('installs with a sudo password typed in the app, and says so when it is missing or wrong', async () => {
    expect(await failureOf(t.call('network.install', { hostId: typerHost }))).toMatchObject({ code: 'SUDO_REQUIRED', remedy: expect.stringContaining('sudo password') });
    expect(await failureOf(t.call('network.install', { hostId: typerHost, sudoPassword: 'not-it' }))).toMatchObject({ code: 'SUDO_PASSWORD_WRONG' });
    expect(await root('ls', '/etc/sudoers.d')).toBe(`fdtest-grants\nfiredeck-${admin}\n`);
    expect(await t.call('network.install', { hostId: typerHost, sudoPassword: SUDO_PASSWORD })).toMatchObject({ verified: true, sudoersInstalled: true });
    // From now on this user needs no password for the helper: up and down work without one.
    const network = await t.core.network.up(typerHost, 'typed');
    expect(network.netns).toMatch(/^fd\d+-typed$/);
    expect(await t.core.network.down(typerHost, 'typed')).toEqual({ removed: true });
  });
});

describe('a microVM network', () => {
  it('lets the guest reach the internet and resolve a name through the host’s resolver, and the host reach the guest', async () => {
    const network = await t.core.network.up(adminHost, 'vm1');
    const uid = Number(execFileSync('id', ['-u', admin], { encoding: 'utf8' }));
    expect(network).toMatchObject({ netns: `fd${uid}-vm1`, index: 0, hostAddress: '10.231.0.2', guestAddress: '172.16.0.2', tap: 'tap0', mac: '06:00:AC:10:00:02', dns: [INTERNET.dns] });
    expect(network.bootArgs).toBe(`ip=172.16.0.2::172.16.0.1:255.255.255.252::eth0:off:${INTERNET.dns}`);
    // tap0 is the user's, so an unprivileged Firecracker of that user can open it.
    expect(await root('ip', '-n', network.netns, '-d', 'link', 'show', 'tap0')).toMatch(new RegExp(`tun type tap .*user ${admin}\\b`));
    expect(await t.core.network.up(adminHost, 'vm1')).toEqual(network);

    const guest = await guestStandIn(network, 'vm1');
    expect(await guest.fetch(`http://${INTERNET.http}/`)).toBe(`${INTERNET.greeting}\n`);
    expect(await guest.resolve(network.dns, INTERNET.name)).toBe(`${INTERNET.http}\n`);
    expect(await hostFetch(`http://${network.hostAddress}:8080/`)).toBe('guest vm1');
    // Beyond the host nothing reaches the guest: a machine outside that routes the pool to the
    // host has its new connections dropped (curl gives up at its bound: exit 28, not 7 refused).
    execFileSync('ip', ['-n', 'fdt-net-inet', 'route', 'add', '10.231.0.0/16', 'via', '10.252.0.2']);
    const outside = spawnSync('ip', ['netns', 'exec', 'fdt-net-inet', 'curl', '-sS', '--max-time', '2', `http://${network.hostAddress}:8080/`], { encoding: 'utf8' });
    execFileSync('ip', ['-n', 'fdt-net-inet', 'route', 'del', '10.231.0.0/16']);
    expect(outside.status).toBe(28);
    await guest.remove();

    expect(await t.call('network.list', { hostId: adminHost })).toMatchObject({
      pool: '10.231.0.0/16',
      used: 1,
      poolConflicts: [],
      dns: [INTERNET.dns],
      networks: [{ vmId: 'vm1', netns: network.netns, index: 0, hostAddress: '10.231.0.2', complete: true, vmDirExists: false }],
    });
    expect(await t.core.network.down(adminHost, 'vm1')).toEqual({ removed: true });
    expect(await leftovers()).toEqual([]);
    expect(await root('cat', '/proc/sys/net/ipv4/ip_forward')).toBe('0\n');
    // The helper logged what it did (this host has no /dev/log, so to its root-owned file).
    const log = await root('cat', '/var/log/firedeck-helper.log');
    expect(log).toMatch(new RegExp(`Z net-up ${network.netns} index 0 pool 10\\.231\\.0\\.0/16\n(.*\n)*.*Z net-down ${network.netns}\n`));
    expect(await root('stat', '-c', '%U %a', '/var/log/firedeck-helper.log')).toBe('root 644\n');
  });

  it('runs two VMs with the same guest address at once, each reachable, until the pool is exhausted', async () => {
    const small = createNetworkService({ hosts: t.core.hosts, pool: () => '10.231.0.0/29' });
    const [a, b] = [await small.up(adminHost, 'twin-a'), await small.up(adminHost, 'twin-b')];
    expect([a.hostAddress, b.hostAddress]).toEqual(['10.231.0.2', '10.231.0.6']);
    expect(a.guestAddress).toBe(b.guestAddress);
    const guests = [await guestStandIn(a, 'twin-a'), await guestStandIn(b, 'twin-b')];
    expect([await hostFetch(`http://${a.hostAddress}:8080/`), await hostFetch(`http://${b.hostAddress}:8080/`)]).toEqual(['guest twin-a', 'guest twin-b']);
    for (const guest of guests) expect(await guest.fetch(`http://${INTERNET.http}/`)).toBe(`${INTERNET.greeting}\n`);
    await expect(small.up(adminHost, 'third')).rejects.toMatchObject({
      code: 'POOL_EXHAUSTED',
      message: expect.stringContaining('All 2 address blocks of the network pool 10.231.0.0/29 are in use'),
      remedy: expect.any(String),
    });
    for (const guest of guests) await guest.remove();
    // One VM's rules go without touching the other's.
    await small.down(adminHost, 'twin-a');
    expect(await root('nft', 'list', 'chain', 'ip', 'firedeck', 'postrouting')).toMatch(/^(?!.*twin-a)[\s\S]*comment "fd\d+-twin-b"/);
    expect(await small.repair(adminHost, [])).toEqual({ removed: ['twin-b'] });
    expect(await leftovers()).toEqual([]);
  });

  it('repair removes the networks of VMs that no longer exist and keeps the live ones', async () => {
    await mkdir(`/home/${admin}/.firedeck/vms/live`, { recursive: true });
    execFileSync('chown', ['-R', `${admin}:${admin}`, `/home/${admin}/.firedeck`]);
    await t.core.network.up(adminHost, 'live');
    await t.core.network.up(adminHost, 'ghost');
    expect((await t.call('network.list', { hostId: adminHost })).networks.map((n) => [n.vmId, n.vmDirExists])).toEqual([['ghost', false], ['live', true]]);
    expect(await t.core.network.repair(adminHost, ['live'])).toEqual({ removed: ['ghost'] });
    expect((await t.call('network.list', { hostId: adminHost })).networks.map((n) => n.vmId)).toEqual(['live']);
    await t.core.network.down(adminHost, 'live');
    await rm(`/home/${admin}/.firedeck`, { recursive: true, force: true });
    expect(await leftovers()).toEqual([]);
  });

  it('net-exec runs the user’s command without privileges inside the VM namespace (how an unjailed Firecracker reaches tap0)', async () => {
    await t.core.network.up(adminHost, 'exec');
    const inside = await t.core.hosts.connection(adminHost).exec(`sudo -n ${HELPER_PATH} net-exec "$(id -u)" exec -- sh -c 'id -un; grep CapEff /proc/self/status; ip -o link show tap0 | cut -d: -f2'`);
    expect(inside).toMatchObject({ exitCode: 0, output: `${admin}\nCapEff:\t0000000000000000\n tap0\n` });
    const foreign = await t.core.hosts.connection(adminHost).exec(`sudo -n ${HELPER_PATH} net-exec 0 exec -- id`);
    expect(foreign.exitCode).toBe(66);
    await t.core.network.down(adminHost, 'exec');
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a pool that overlaps a route of the host, making nothing', async () => {
    const clashing = createNetworkService({ hosts: t.core.hosts, pool: () => '10.252.0.0/16' });
    await expect(clashing.up(adminHost, 'vm1')).rejects.toMatchObject({ code: 'POOL_OVERLAP', message: expect.stringContaining('10.252.0.0/30 dev uplink0'), remedy: expect.any(String) });
    expect((await clashing.list(adminHost)).poolConflicts).toEqual(['10.252.0.0/30 dev uplink0', '10.252.0.2 dev uplink0', '10.252.0.3 dev uplink0']);
    expect(await leftovers()).toEqual([]);
  });
});

describe('a tampered helper', () => {
  it('is refused by status and up with the remedy, and a reinstall puts it right', async () => {
    await host.root(['sh', '-c', `printf '%s\\n' 'echo owned' >> ${HELPER_PATH}`]);
    expect(await t.call('network.status', { hostId: adminHost })).toMatchObject({
      installed: true,
      verified: false,
      problem: { code: 'HELPER_TAMPERED', message: expect.stringContaining('TAMPERED'), remedy: expect.stringContaining('reinstall the helper') },
    });
    await expect(t.core.network.up(adminHost, 'vm1')).rejects.toMatchObject({ code: 'HELPER_TAMPERED', message: expect.stringMatching(/^TAMPERED: /), remedy: expect.stringContaining('reinstall') });
    expect(await leftovers()).toEqual([]);
    expect(await t.call('network.install', { hostId: adminHost })).toMatchObject({ verified: true });
  });

  it('uninstall removes the rules and, with the last rule, the helper', async () => {
    expect(await t.call('network.uninstall', { hostId: adminHost })).toMatchObject({ installed: true, sudoersInstalled: false });
    expect(await t.call('network.uninstall', { hostId: typerHost, sudoPassword: SUDO_PASSWORD })).toMatchObject({ installed: false, sudoersInstalled: false });
    expect(await root('ls', '-A', '/etc/sudoers.d', '/usr/local/libexec')).toBe('/etc/sudoers.d:\nfdtest-grants\n\n/usr/local/libexec:\n');
    expect(await t.core.network.down(adminHost, 'vm1')).toEqual({ removed: false });
  });
});
