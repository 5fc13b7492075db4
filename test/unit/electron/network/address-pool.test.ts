import { describe, expect, it } from 'vitest';
import { blockAddresses, freeIndex, parsePool, parseRoutes, poolConflicts } from '../../../../electron/network/address-pool';

describe('address pool', () => {
  it('cuts the pool into /30 blocks: .1 for the host end, .2 for the VM as the host sees it', () => {
    const pool = parsePool('10.231.0.0/16');
    expect(pool.capacity).toBe(16384);
    expect(blockAddresses(pool, 0)).toEqual({ index: 0, block: '10.231.0.0/30', hostVethAddress: '10.231.0.1', vmAddress: '10.231.0.2' });
    expect(blockAddresses(pool, 64)).toEqual({ index: 64, block: '10.231.1.0/30', hostVethAddress: '10.231.1.1', vmAddress: '10.231.1.2' });
    expect(blockAddresses(pool, 16383).vmAddress).toBe('10.231.255.254');
    expect(() => blockAddresses(pool, 16384)).toThrow(RangeError);
    expect(parsePool('192.168.64.0/29').capacity).toBe(2);
  });

  it.each([
    ['8.8.8.0/24', 'private range'],
    ['10.231.0.1/16', 'host bits'],
    ['10.0.0.0/8', 'prefix length'],
    ['10.231.0.0/31', 'prefix length'],
    ['172.16.0.0/24', '172.16.0.0/30'],
    ['10.231.0.0', 'address/prefix'],
    ['10.231.0.0/16; x', 'address/prefix'],
    ['300.1.0.0/16', 'address/prefix'],
    ['192.160.0.0/12', 'private range'],
  ])('refuses %s (%s)', (cidr, why) => {
    expect(() => parsePool(cidr)).toThrow(expect.objectContaining({ code: 'POOL_INVALID', message: expect.stringContaining(why) }));
  });

  it('finds the lowest free block, or none when the pool is exhausted', () => {
    const pool = parsePool('10.231.0.0/29');
    expect(freeIndex(pool, new Set())).toBe(0);
    expect(freeIndex(pool, new Set([0]))).toBe(1);
    expect(freeIndex(pool, new Set([0, 1]))).toBeNull();
  });

  it('names the host routes the pool overlaps, from ip -j route, ignoring the default route and its own fdv links', () => {
    const routes = parseRoutes(
      JSON.stringify([
        { dst: 'default', gateway: '192.0.2.1', dev: 'eth0' },
        { dst: '10.231.0.0/30', dev: 'fdv0', protocol: 'kernel' },
        { type: 'local', dst: '10.231.0.1', dev: 'fdv0', table: 'local' },
        { dst: '10.0.0.0/8', dev: 'wg0' },
        { dst: '10.232.0.0/16', dev: 'eth1' },
        { type: 'local', dst: '10.231.7.7', dev: 'eth1', table: 'local' },
      ]),
    );
    expect(poolConflicts(parsePool('10.231.0.0/16'), routes)).toEqual(['10.0.0.0/8 dev wg0', '10.231.7.7 dev eth1']);
    expect(poolConflicts(parsePool('192.168.0.0/16'), routes)).toEqual([]);
    expect(parseRoutes('')).toEqual([]);
  });
});
