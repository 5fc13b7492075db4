import { describe, expect, it } from 'vitest';
import netRecordSource from '../../../../electron/host-scripts/net-record.sh';
import { AppError } from '../../../../electron/app-error';
import type { FirecrackerClient } from '../../../../electron/firecracker/client';
import { HELPER_PATH } from '../../../../electron/network/network-helper';
import type { NetworkService, VmNetwork } from '../../../../electron/network/network-service';
import { netUp, putNetworkInterface, wantsNetwork } from '../../../../electron/network/network-steps';
import type { NetworkStepContext } from '../../../../electron/network/network-steps';
import type { HostConnection } from '../../../../electron/ssh/host-connection';

const vmNetwork: VmNetwork = {
  vmId: 'vm1',
  uid: 1000,
  netns: 'fd1000-vm1',
  index: 0,
  hostAddress: '10.231.0.2',
  hostVethAddress: '10.231.0.1',
  guestAddress: '172.16.0.2',
  tap: 'tap0',
  mac: '06:00:AC:10:00:02',
  dns: ['192.0.2.53'],
  bootArgs: 'ip=172.16.0.2::172.16.0.1:255.255.255.252::eth0:off:192.0.2.53',
};

function context(overrides: Partial<NetworkStepContext> & { up?: () => Promise<VmNetwork> } = {}) {
  const recorded: string[] = [];
  const downs: string[] = [];
  const connection = {
    name: 'build-01',
    exec: async (script: string) => {
      if (script.endsWith(netRecordSource)) recorded.push(/^set -- .* '(\{.*\})'$/m.exec(script)?.[1] ?? script.split('\n')[0]!);
      return { output: '', stderr: '', exitCode: 0 };
    },
  } as unknown as HostConnection;
  const network = {
    up: overrides.up ?? (async () => vmNetwork),
    down: async (_h: string, id: string) => {
      downs.push(id);
      return { removed: true };
    },
  } as unknown as NetworkService;
  const ctx: NetworkStepContext = { request: { hostId: 'h1', id: 'vm1', network: 'default' }, connection, hostName: 'build-01', paths: { dir: '/home/dev/.firedeck/vms/vm1' }, network, ...overrides };
  return { ctx, recorded, downs };
}

describe('the network boot steps', () => {
  it('net.up brings the network up, launches Firecracker through net-exec, adds ip= and notes the address; undo takes it down', async () => {
    const { ctx, recorded, downs } = context();
    expect(await netUp.check!(ctx)).toBeNull();
    expect(await netUp.run(ctx)).toContain('10.231.0.2');
    expect(ctx.launchPrefix).toEqual(['sudo', '-n', '--', HELPER_PATH, 'net-exec', '1000', 'vm1', '--']);
    expect(ctx.extraBootArgs).toEqual([vmNetwork.bootArgs]);
    expect(ctx.networkOverrides).toBeUndefined();
    expect(recorded).toEqual(['{"hostAddress":"10.231.0.2","guestAddress":"172.16.0.2","mac":"06:00:AC:10:00:02"}']);
    await netUp.undo!(ctx);
    expect(downs).toEqual(['vm1']);
  });

  it('a host without the helper boots without a network and notes why; a tampered helper stops the boot', async () => {
    const missing = context({ up: async () => Promise.reject(new AppError('HELPER_MISSING', 'The Firedeck network helper is not installed on build-01.', { remedy: 'Install it.' })) });
    expect(await netUp.run(missing.ctx)).toContain('without a network');
    expect(missing.ctx.launchPrefix).toBeUndefined();
    expect(missing.ctx.networkProblem).toMatchObject({ code: 'HELPER_MISSING', message: expect.stringContaining('Started without a network'), remedy: 'Install it.' });
    expect(JSON.parse(missing.recorded[0]!)).toEqual({ problem: { message: missing.ctx.networkProblem!.message, remedy: 'Install it.' } });
    await netUp.undo!(missing.ctx);
    expect(missing.downs).toEqual([]);
    const tampered = context({ up: async () => Promise.reject(new AppError('HELPER_TAMPERED', 'TAMPERED')) });
    await expect(netUp.run(tampered.ctx)).rejects.toMatchObject({ code: 'HELPER_TAMPERED' });
  });

  it('is skipped for a VM without a network and for a snapshot without a network device', async () => {
    expect(await netUp.check!(context({ request: { hostId: 'h1', id: 'vm1', network: 'none' } }).ctx)).toMatch(/without a network/);
    expect(wantsNetwork(undefined)).toBe(false);
    const restore = (request: NetworkStepContext['request']) => netUp.check!(context({ request, snapshot: {} }).ctx);
    expect(await restore({ hostId: 'h1', id: 'c1', network: 'default', guestNetwork: { problem: { message: 'no helper' } } })).toMatch(/no network device/);
    expect(await restore({ hostId: 'h1', id: 'c1', network: 'default', guestNetwork: { hostAddress: '10.231.0.2' } })).toBeNull();
    expect(await restore({ hostId: 'h1', id: 'c1', network: { tap: 'fc-tap0', mac: '06:00:00:00:00:01' } })).toBeNull();
  });

  it('a restore of an old typed-in tap maps it to tap0; without the helper it is refused', async () => {
    const legacy = context({ request: { hostId: 'h1', id: 'c1', network: { tap: 'fc-tap0', mac: '06:00:00:00:00:01' } }, snapshot: {} });
    await netUp.run(legacy.ctx);
    expect(legacy.ctx.networkOverrides).toEqual([{ iface_id: 'eth0', host_dev_name: 'tap0' }]);
    const missing = context({ snapshot: {}, request: { hostId: 'h1', id: 'c1', network: 'default', guestNetwork: { hostAddress: '10.231.0.2' } }, up: async () => Promise.reject(new AppError('HELPER_MISSING', 'no helper')) });
    await expect(netUp.run(missing.ctx)).rejects.toMatchObject({ code: 'HELPER_MISSING', message: expect.stringContaining('cannot be restored') });
  });

  it('fc.putNetworkInterface gives Firecracker tap0 and the MAC, and MMDS on it when asked', async () => {
    const calls: unknown[] = [];
    const client = { putNetworkInterface: async (b: unknown) => void calls.push(['net', b]), putMmdsConfig: async (b: unknown) => void calls.push(['mmds', b]), putMmds: async (b: unknown) => void calls.push(['data', b]) } as unknown as FirecrackerClient;
    const { ctx } = context({ client, vmNetwork, request: { hostId: 'h1', id: 'vm1', network: 'default', mmds: { role: 'ci' } } });
    await putNetworkInterface.run(ctx);
    expect(calls).toEqual([
      ['net', { iface_id: 'eth0', host_dev_name: 'tap0', guest_mac: '06:00:AC:10:00:02' }],
      ['mmds', { network_interfaces: ['eth0'], version: 'V2' }],
      ['data', { role: 'ci' }],
    ]);
    calls.length = 0;
    await putNetworkInterface.run(context({ client }).ctx);
    expect(calls).toEqual([]);
  });
});
