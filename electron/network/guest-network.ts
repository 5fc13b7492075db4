/**
 * What every microVM with a network sees, the same for every VM and every clone of a snapshot
 * (each lives in its own namespace): tap0 with 172.16.0.1/30 on the host side, the guest at
 * 172.16.0.2/30 with the MAC the Firecracker CI images map to that address, configured by the
 * kernel's `ip=` argument so no image needs to know.
 */
export const TAP_NAME = 'tap0';
export const TAP_ADDRESS = '172.16.0.1';
export const GUEST_ADDRESS = '172.16.0.2';
export const GUEST_NETMASK = '255.255.255.252';
/** 06:00 then the guest address in hex (AC:10:00:02): the Firecracker CI convention. */
export const GUEST_MAC = '06:00:AC:10:00:02';
/** The guest's interface name as its kernel names the first virtio-net device. */
export const GUEST_INTERFACE = 'eth0';

/** The network namespace of one VM on its host: fd<uid>-<vmId>, so two users never collide. */
export function netnsName(uid: number, vmId: string): string {
  return `fd${uid}-${vmId}`;
}

/**
 * The kernel argument that gives the guest its address, gateway and up to two DNS servers:
 * `ip=<client>::<gateway>:<netmask>::<device>:off[:<dns0>[:<dns1>]]`.
 */
export function kernelIpArgument(dns: readonly string[]): string {
  return ['ip=' + GUEST_ADDRESS, '', TAP_ADDRESS, GUEST_NETMASK, '', GUEST_INTERFACE, 'off', ...dns.slice(0, 2)].join(':');
}

const ipv4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const loopback = (address: string) => address.startsWith('127.') || address === '::1';

/**
 * The resolvers a guest should use: the host's own (/etc/resolv.conf), unless they are only
 * loopback stubs a guest cannot reach (systemd-resolved's 127.0.0.53): then the upstream servers
 * systemd-resolved itself uses (/run/systemd/resolve/resolv.conf). IPv4 only (the `ip=` argument
 * takes no other), at most two.
 */
export function guestDnsServers(resolvConf: readonly string[], resolvedConf: readonly string[]): string[] {
  const usable = (list: readonly string[]) => list.filter((a) => ipv4.test(a) && !loopback(a));
  const own = usable(resolvConf);
  const chosen = own.length > 0 || !resolvConf.some(loopback) ? own : usable(resolvedConf);
  return [...new Set(chosen)].slice(0, 2);
}
