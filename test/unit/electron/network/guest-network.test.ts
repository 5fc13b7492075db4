import { describe, expect, it } from 'vitest';
import { GUEST_MAC, guestDnsServers, kernelIpArgument } from '../../../../electron/network/guest-network';

describe('guest network', () => {
  it('writes the kernel ip= argument with up to two DNS servers', () => {
    expect(kernelIpArgument([])).toBe('ip=172.16.0.2::172.16.0.1:255.255.255.252::eth0:off');
    expect(kernelIpArgument(['192.0.2.53', '198.51.100.53', '203.0.113.53'])).toBe('ip=172.16.0.2::172.16.0.1:255.255.255.252::eth0:off:192.0.2.53:198.51.100.53');
  });

  it('uses the MAC that the CI images map to 172.16.0.2', () => {
    expect(GUEST_MAC.split(':').slice(2).map((h) => Number.parseInt(h, 16)).join('.')).toBe('172.16.0.2');
  });

  it('takes the host’s resolvers, or systemd-resolved’s upstream ones when the host has only its loopback stub', () => {
    expect(guestDnsServers(['192.0.2.53'], ['198.51.100.1'])).toEqual(['192.0.2.53']);
    expect(guestDnsServers(['127.0.0.53'], ['198.51.100.1', '198.51.100.2', '198.51.100.3'])).toEqual(['198.51.100.1', '198.51.100.2']);
    expect(guestDnsServers(['127.0.0.53', '192.0.2.53'], ['198.51.100.1'])).toEqual(['192.0.2.53']);
    expect(guestDnsServers(['2001:db8::53', '192.0.2.53'], [])).toEqual(['192.0.2.53']);
    expect(guestDnsServers(['127.0.0.53'], [])).toEqual([]);
    expect(guestDnsServers([], ['198.51.100.1'])).toEqual([]);
  });
});
