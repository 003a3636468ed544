// A machine's IPMI power address: `host[:port]`, the UDP port defaulting to 623 (RMCP, IPMI v2.0
// §13.1). IPv6 literals are written in brackets when they carry a port: `[fd00::5]:6230`. The host
// becomes ipmitool's -H argument, so it must be a plain host (bmc-host.ts); errors never echo
// credentials someone put in the address.
import { isIPv6 } from 'node:net';
import { InvalidArgumentError } from '../../domain-error.js';
import { bmcHostProblem, redactAddress } from '../bmc-host.js';

export const DEFAULT_IPMI_PORT = 623;

export interface BmcAddress {
  readonly host: string;
  readonly port: number;
}

function invalid(address: string, problem: string): InvalidArgumentError {
  return new InvalidArgumentError('power.address', `${JSON.stringify(redactAddress(address))} ${problem}`);
}

export function parseBmcAddress(address: string): BmcAddress {
  const text = address.trim();
  if (text === '') throw new InvalidArgumentError('power.address', 'an IPMI BMC address (host[:port]) is required');
  if (text.includes('@')) throw invalid(address, 'holds credentials; give them as power.user and the password, never in the address');
  // Some tools take `host;cipher=17`; here the suite is a power setting of its own.
  if (/[;,?&\s]\s*(cipher|ciphersuite|cipher_suite)\s*=/i.test(text)) {
    throw invalid(address, 'sets a cipher suite; give it as power.ipmi_cipher_suite (moorctl --ipmi-cipher-suite), not in the address');
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw invalid(address, 'is a URL; an IPMI address is host[:port]');
  const bracketed = /^\[([^\]]+)\](?::([^:]*))?$/.exec(text);
  if (bracketed) {
    if (!isIPv6(bracketed[1]!)) throw invalid(address, 'holds no IPv6 address in its brackets');
    return { host: bracketed[1]!, port: parsePort(bracketed[2], address) };
  }
  const colons = text.split(':').length - 1;
  // A bare IPv6 literal has several colons and no port.
  if (colons > 1) {
    if (!isIPv6(text)) throw invalid(address, 'is not host[:port] (write an IPv6 address with a port as [addr]:port)');
    return { host: text, port: DEFAULT_IPMI_PORT };
  }
  const [host = '', port] = text.split(':');
  const problem = bmcHostProblem(host);
  if (problem) throw invalid(address, `is not host[:port]: the host ${problem}`);
  return { host, port: parsePort(port, address) };
}

export function formatBmcAddress(address: BmcAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

function parsePort(port: string | undefined, address: string): number {
  if (port === undefined) return DEFAULT_IPMI_PORT;
  const value = Number(port);
  if (!/^\d{1,5}$/.test(port) || value < 1 || value > 65535) throw invalid(address, 'has a bad port: the port must be 1-65535');
  return value;
}
