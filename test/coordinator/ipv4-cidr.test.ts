// IPv4 CIDR parsing, overlap and the addresses ports may be given (coordinator/src/networks/ipv4-cidr.ts).
import { describe, expect, it } from 'vitest';
import { assignableRange, formatIpv4, overlaps, parseCidr, parseIpv4, type Ipv4Cidr } from '../../coordinator/src/networks/ipv4-cidr.js';

const cidr = (text: string): Ipv4Cidr => {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

describe('IPv4 CIDRs', () => {
  it('parses aligned CIDRs and says what is wrong with the rest', () => {
    expect(cidr('10.0.5.0/24')).toEqual({ network: 0x0a000500, prefix: 24, text: '10.0.5.0/24' });
    expect(cidr('0.0.0.0/0').text).toBe('0.0.0.0/0');
    expect(cidr('192.0.2.7/32').text).toBe('192.0.2.7/32');
    expect(parseCidr('10.0.5.3/24')).toBe('10.0.5.3/24 is not aligned to its network: did you mean 10.0.5.0/24?');
    expect(parseCidr('10.0.0.0/31', 8, 30)).toBe('prefix /31 is outside /8../30');
    for (const bad of [
      '10.0.0.0',
      '10.0.0/8',
      '10.0.0.256/32',
      '10.0.0.0/33',
      '010.0.0.0/8',
      '10.0.0.0/-1',
      ' 10.0.0.0/8',
      '1e1.0.0.0/8',
    ]) {
      expect(parseCidr(bad)).toBe(`${JSON.stringify(bad)} is not an IPv4 CIDR like 10.0.5.0/24`);
    }
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    expect(formatIpv4(0xffffffff)).toBe('255.255.255.255');
  });

  it('finds overlaps at the edges', () => {
    expect(overlaps(cidr('10.0.0.0/16'), cidr('10.0.255.0/24'))).toBe(true);
    expect(overlaps(cidr('10.0.0.0/16'), cidr('10.1.0.0/16'))).toBe(false);
    expect(overlaps(cidr('10.0.0.0/8'), cidr('10.200.0.0/16'))).toBe(true);
    expect(overlaps(cidr('192.168.0.0/30'), cidr('192.168.0.4/30'))).toBe(false);
  });

  it('keeps the network, gateway and broadcast addresses back', () => {
    expect(assignableRange(cidr('10.0.0.0/30'))).toEqual({ first: 0x0a000002, last: 0x0a000002 });
    const top = assignableRange(cidr('255.255.255.0/24'));
    expect([formatIpv4(top.first), formatIpv4(top.last)]).toEqual(['255.255.255.2', '255.255.255.254']);
  });
});
