/**
 * The real path into a guest, with the app's own address resolver: a host in a network namespace
 * with the network helper installed, a VM network made by the helper (namespace, veth, DNAT of
 * the VM's pool address), and a guest stand-in behind tap0 running a real sshd on 172.16.0.2:22.
 * The app asks the host where the VM is (network.list: block .2 of its /30) and reaches the
 * guest's sshd through the host's SSH connection alone.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VmNetwork } from '../../../../electron/network/network-service';
import { guestPublicKey } from '../../../../electron/wizard/guest-key';
import { startSudoRig, waitForOutput } from '../../../support/netns-hosts';
import type { NetnsRig } from '../../../support/netns-hosts';
import { ensureKeyUser } from '../../../support/ssh-test-hosts';
import { connectTestHost, startTestCore } from '../../../support/test-core';
import type { TestCore } from '../../../support/test-core';

const GUEST_NS = 'fdtg-gnet';
let rig: NetnsRig;
let t: TestCore;
let hostId: string;
let network: VmNetwork;
let sshdDir: string;

const root = (...args: string[]) => rig.host.rootText(...args);

beforeAll(async () => {
  const admin = await ensureKeyUser('fdguest-admin');
  rig = await startSudoRig('gnt', { address: '127.0.0.237', users: [admin], sudoers: `${admin} ALL=(ALL) NOPASSWD: ALL\n` });
  t = await startTestCore(); // the app's own resolver: the VM's network as the host lists it
  hostId = await connectTestHost(t, rig.host, { user: admin, label: 'net host' });
  await t.call('network.install', { hostId });
  // The repair the connect started would remove a network no VM has, as this one made by hand.
  await t.core.networkRepair.settled(hostId);
  network = await t.core.network.up(hostId, 'gvm');

  // The guest: tap0's place taken by a veth into a namespace of its own holding 172.16.0.2.
  await root('ip', 'netns', 'add', GUEST_NS);
  await root('ip', '-n', network.netns, 'link', 'del', network.tap);
  await root('ip', 'link', 'add', network.tap, 'netns', network.netns, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', GUEST_NS);
  await root('ip', '-n', network.netns, 'addr', 'add', '172.16.0.1/30', 'dev', network.tap);
  await root('ip', '-n', network.netns, 'link', 'set', network.tap, 'up');
  await root('ip', '-n', GUEST_NS, 'link', 'set', 'lo', 'up');
  await root('ip', '-n', GUEST_NS, 'addr', 'add', `${network.guestAddress}/30`, 'dev', 'eth0');
  await root('ip', '-n', GUEST_NS, 'link', 'set', 'eth0', 'up');
  await root('ip', '-n', GUEST_NS, 'route', 'add', 'default', 'via', '172.16.0.1');

  // Its sshd takes root with the wizard's guest key, as the root filesystems Firedeck builds do
  // (the key file is this sshd's own, so nothing of this machine's root changes).
  sshdDir = await mkdtemp(join(tmpdir(), 'firedeck-guest-sshd-'));
  await writeFile(join(sshdDir, 'authorized_keys'), `${await guestPublicKey(t.dataDir)}\n`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(sshdDir, 'host_key')]);
  await writeFile(
    join(sshdDir, 'sshd_config'),
    [`ListenAddress ${network.guestAddress}`, 'Port 22', `HostKey ${join(sshdDir, 'host_key')}`, `PidFile ${join(sshdDir, 'pid')}`, 'UsePAM no', 'StrictModes no',
      `AuthorizedKeysFile ${join(sshdDir, 'authorized_keys')}`, 'PermitRootLogin prohibit-password', 'AllowUsers root', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'Subsystem sftp internal-sftp', 'LogLevel VERBOSE', ''].join('\n'),
  );
  const sshd = rig.host.spawnRoot(['ip', 'netns', 'exec', GUEST_NS, '/usr/sbin/sshd', '-D', '-e', '-f', join(sshdDir, 'sshd_config')]);
  await waitForOutput(sshd, /Server listening/, 'the guest’s sshd');
}, 90_000);

afterAll(async () => {
  if (rig) {
    await rig.host.root(['ip', 'netns', 'del', GUEST_NS]).catch(() => {});
    if (network) await t.core.network.down(hostId, 'gvm').catch(() => {});
  }
  await t?.close();
  await rig?.stop();
  if (sshdDir) await rm(sshdDir, { recursive: true, force: true });
});

describe('into a guest through its VM network', () => {
  it('finds the guest at its pool address, logs in as root with the guest key and runs a command, with nothing listening on the host', async () => {
    const status = await t.call('guest.status', { hostId, id: 'gvm' });
    expect(status, JSON.stringify(status.problem)).toMatchObject({ state: 'up', address: `${network.hostAddress}:22` });
    expect(status.banner).toMatch(/^SSH-2\.0-OpenSSH/);
    const execId = randomUUID();
    let out = '';
    const off = t.core.events.subscribe((event, payload) => {
      if (event === 'guest.execOutput' && (payload as { execId: string }).execId === execId) out += (payload as { data: string }).data;
    });
    const exited = t.nextEvent('guest.execExited', (e) => e.execId === execId);
    await t.call('guest.exec', { hostId, id: 'gvm', execId, command: 'id -un; ip -4 -o addr show dev eth0' });
    expect(await exited).toMatchObject({ exitCode: 0 });
    off();
    expect(out).toMatch(/^root\n.*inet 172\.16\.0\.2\/30/s);
    const ssh = await t.call('guest.sshCommand', { hostId, id: 'gvm' });
    expect(ssh.spelledOut).toContain(`root@${network.hostAddress}`);
    // Nothing listens on the host for any of this.
    expect(await root('sh', '-c', 'ss -ltnH | grep -v ":22 " || true')).toBe('');
  });
});
