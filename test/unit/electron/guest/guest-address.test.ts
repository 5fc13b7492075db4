import { describe, expect, it } from 'vitest';
import type { HostNetworks, NetworkHelperStatus, VmNetworkEntry } from '../../../../shared/channels/network';
import { networkGuestAddress } from '../../../../electron/guest/guest-address';

const HOST = 'h';
const verified: NetworkHelperStatus = { hostId: HOST, installed: true, verified: true, path: '/usr/local/libexec/firedeck/firedeck-helper', sudoersPath: '/etc/sudoers.d/x', sudoersInstalled: true };
const entry = (vmId: string, hostAddress: string | null): VmNetworkEntry => ({ vmId, netns: `fd1000-${vmId}`, index: hostAddress ? 0 : null, hostAddress, complete: hostAddress !== null, vmDirExists: true });
const resolverOf = (helper: NetworkHelperStatus, networks: VmNetworkEntry[]) =>
  networkGuestAddress({ list: async () => ({ hostId: HOST, helper, pool: '10.231.0.0/16', capacity: 16384, used: networks.length, poolConflicts: [], dns: [], networks }) as HostNetworks });

describe('where a guest is reached', () => {
  it('is block .2 of its network, port 22', async () => {
    await expect(resolverOf(verified, [entry('a', '10.231.0.6'), entry('b', '10.231.0.2')])('h', 'b')).resolves.toEqual({ host: '10.231.0.2', port: 22 });
  });

  it('says the helper’s own problem when the helper cannot be used, with its remedy', async () => {
    const tampered = { ...verified, verified: false, problem: { code: 'HELPER_TAMPERED' as const, message: 'TAMPERED: the network helper differs.', remedy: 'Reinstall the helper from Firedeck.' } };
    await expect(resolverOf(tampered, [])('h', 'b')).rejects.toMatchObject({ code: 'HELPER_TAMPERED', message: expect.stringContaining('TAMPERED'), remedy: 'Reinstall the helper from Firedeck.' });
  });

  it('tells a network that lost its veth from no network at all', async () => {
    await expect(resolverOf(verified, [entry('b', null)])('h', 'b')).rejects.toMatchObject({ code: 'GUEST_NO_ADDRESS', message: expect.stringContaining('incomplete'), remedy: expect.stringContaining('Stop and start') });
    await expect(resolverOf(verified, [entry('a', '10.231.0.2')])('h', 'b')).rejects.toMatchObject({ code: 'GUEST_NO_ADDRESS', message: expect.stringContaining('has no network') });
  });
});
