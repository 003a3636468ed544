// IPv4 addresses and CIDRs as the fabric accepts them: dotted quads without leading zeros (as
// OVN's own parser reads them), CIDRs with their host bits clear.

export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
  readonly text: string;
}

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** The address as an unsigned 32-bit number, or undefined if it is not a dotted quad. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses A.B.C.D/N; the problem as text when it is not a valid network. */
export function parseCidr(text: string): Ipv4Cidr | string {
  const m = /^([^/]+)\/(0|[1-9][0-9]?)$/.exec(text);
  if (!m) return `"${text}" is not an IPv4 CIDR (A.B.C.D/N)`;
  const base = parseIpv4(m[1]!);
  const prefix = Number(m[2]);
  if (base === undefined) return `"${m[1]}" is not an IPv4 address`;
  if (prefix > 32) return `prefix /${prefix} is longer than 32`;
  const network = (base & mask(prefix)) >>> 0;
  if (network !== base) return `"${text}" has host bits set (the network is ${formatIpv4(network)}/${prefix})`;
  return { base, prefix, text };
}

export function cidrContains(cidr: Ipv4Cidr, address: number): boolean {
  return (address & mask(cidr.prefix)) >>> 0 === cidr.base;
}
