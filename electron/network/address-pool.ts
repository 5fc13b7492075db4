import { AppError } from '../app-error.js';

/**
 * The pool VM networks take their host-side addresses from (default 10.231.0.0/16), cut into
 * /30 blocks: block INDEX gives the host end of the VM's veth (fdvINDEX) .1 and the namespace end
 * .2, which is the VM's address as the host sees it. The helper applies the same rules as root.
 */
export interface AddressPool {
  cidr: string;
  /** The network address as a 32-bit number. */
  base: number;
  prefix: number;
  /** How many /30 blocks (VM networks) the pool holds. */
  capacity: number;
}

export interface BlockAddresses {
  index: number;
  /** The block itself, e.g. 10.231.0.4/30. */
  block: string;
  /** The host's end of the veth (fdvINDEX): the VM namespace's default gateway. */
  hostVethAddress: string;
  /** The namespace's end (veth0): where the host reaches the VM (DNAT to the guest). */
  vmAddress: string;
}

export const DEFAULT_POOL = '10.231.0.0/16';
/** Each namespace holds the guests' own 172.16.0.0/30; the pool must not. */
const GUEST_NET = { base: toInt('172.16.0.0')!, prefix: 30 };
const PRIVATE_RANGES = [
  { base: toInt('10.0.0.0')!, prefix: 8 },
  { base: toInt('172.16.0.0')!, prefix: 12 },
  { base: toInt('192.168.0.0')!, prefix: 16 },
];

export function parsePool(cidr: string): AddressPool {
  const invalid = (why: string) =>
    new AppError('POOL_INVALID', `The network pool ${cidr} ${why}.`, {
      remedy: `Choose a private IPv4 network with a prefix length from 12 to 30 that the host does not use, such as ${DEFAULT_POOL}.`,
    });
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(cidr);
  const base = match ? toInt(match[1]!) : null;
  if (!match || base === null) throw invalid('is not an IPv4 network written as address/prefix');
  const prefix = Number(match[2]);
  if (prefix < 12 || prefix > 30) throw invalid('must have a prefix length from 12 to 30');
  if ((base & ~mask(prefix)) >>> 0 !== 0) throw invalid('is not a network address (its host bits are set)');
  if (!PRIVATE_RANGES.some((r) => prefix >= r.prefix && overlaps({ base, prefix }, r))) {
    throw invalid('is not inside a private range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)');
  }
  if (overlaps({ base, prefix }, GUEST_NET)) throw invalid('overlaps 172.16.0.0/30, the guests’ own network');
  return { cidr, base, prefix, capacity: 2 ** (30 - prefix) };
}

export function blockAddresses(pool: AddressPool, index: number): BlockAddresses {
  if (!Number.isInteger(index) || index < 0 || index >= pool.capacity) throw new RangeError(`index ${index} is outside ${pool.cidr}`);
  const start = pool.base + 4 * index;
  return { index, block: `${toDotted(start)}/30`, hostVethAddress: toDotted(start + 1), vmAddress: toDotted(start + 2) };
}

/** The lowest block no VM on the host uses, or null when the pool is exhausted. */
export function freeIndex(pool: AddressPool, used: ReadonlySet<number>): number | null {
  for (let index = 0; index < pool.capacity; index++) if (!used.has(index)) return index;
  return null;
}

export interface HostRoute {
  dst: string;
  dev?: string;
  type?: string;
  table?: string;
}

/** `ip -4 -j route show table all`, as the host printed it (an empty answer is no routes). */
export function parseRoutes(json: string): HostRoute[] {
  if (json.trim() === '') return [];
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return parsed.flatMap((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return [];
    const r = entry as Record<string, unknown>;
    if (typeof r.dst !== 'string') return [];
    return [{ dst: r.dst, ...(typeof r.dev === 'string' ? { dev: r.dev } : {}), ...(typeof r.type === 'string' ? { type: r.type } : {}), ...(typeof r.table === 'string' ? { table: r.table } : {}) }];
  });
}

/**
 * The host routes the pool overlaps, written as `dst dev DEV`: every route in every table but
 * the default route and Firedeck's own links (fdvN), whose blocks come from the pool.
 */
export function poolConflicts(pool: AddressPool, routes: readonly HostRoute[]): string[] {
  return routes.flatMap((route) => {
    if (route.dst === 'default' || (route.dev && /^fdv\d+$/.test(route.dev))) return [];
    const [address, length] = route.dst.split('/');
    const base = toInt(address ?? '');
    if (base === null) return [];
    const prefix = length === undefined ? 32 : Number(length);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return [];
    if (!overlaps(pool, { base, prefix })) return [];
    return [`${route.dst}${route.dev ? ` dev ${route.dev}` : ''}`];
  });
}

function overlaps(a: { base: number; prefix: number }, b: { base: number; prefix: number }): boolean {
  const m = mask(Math.min(a.prefix, b.prefix));
  return (a.base & m) >>> 0 === (b.base & m) >>> 0;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function toInt(dotted: string): number | null {
  const parts = dotted.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function toDotted(n: number): string {
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join('.');
}
