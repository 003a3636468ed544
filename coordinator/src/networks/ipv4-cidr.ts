// IPv4 subnets as tenant networks use them: parsing with a problem that says what was wrong,
// overlap, and the addresses a port may be given. Pure: no store, no I/O.

/** A parsed, network-aligned IPv4 CIDR. Addresses are unsigned 32-bit numbers. */
export interface Ipv4Cidr {
  readonly network: number;
  readonly prefix: number;
  /** The canonical text, e.g. "10.0.5.0/24". */
  readonly text: string;
}

/** Tenant subnets: at least a /30 (two hosts: the gateway and one port), at most a /8. */
export const MIN_NETWORK_PREFIX = 8;
export const MAX_NETWORK_PREFIX = 30;

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseIpv4(text: string): number | null {
  const match = DOTTED.exec(text);
  if (!match) return null;
  let value = 0;
  for (const part of match.slice(1)) {
    // No leading zeros: "010" is octal to some parsers and decimal to others.
    if (part.length > 1 && part.startsWith('0')) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * Parses "A.B.C.D/N" whose address is the first of its subnet (10.0.5.0/24, not 10.0.5.3/24)
 * with N in [minPrefix, maxPrefix]. Returns the CIDR, or the problem in words.
 */
export function parseCidr(text: string, minPrefix = 0, maxPrefix = 32): Ipv4Cidr | string {
  const slash = text.indexOf('/');
  const address = parseIpv4(slash < 0 ? text : text.slice(0, slash));
  const prefixText = slash < 0 ? '' : text.slice(slash + 1);
  if (address === null || !/^\d{1,2}$/.test(prefixText) || Number(prefixText) > 32) {
    return `${JSON.stringify(text)} is not an IPv4 CIDR like 10.0.5.0/24`;
  }
  const prefix = Number(prefixText);
  if (prefix < minPrefix || prefix > maxPrefix) return `prefix /${prefix} is outside /${minPrefix}../${maxPrefix}`;
  const network = (address & mask(prefix)) >>> 0;
  if (network !== address) return `${text} is not aligned to its network: did you mean ${formatIpv4(network)}/${prefix}?`;
  return { network, prefix, text: `${formatIpv4(network)}/${prefix}` };
}

/** The broadcast (last) address of the subnet. */
export function lastAddress(cidr: Ipv4Cidr): number {
  return (cidr.network | (~mask(cidr.prefix) >>> 0)) >>> 0;
}

export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return a.network <= lastAddress(b) && b.network <= lastAddress(a);
}

/**
 * The addresses ports are given: the network address, the first host (kept for a gateway) and
 * the broadcast address are never handed out. A /30 has exactly one.
 */
export function assignableRange(cidr: Ipv4Cidr): { first: number; last: number } {
  return { first: cidr.network + 2, last: lastAddress(cidr) - 1 };
}
