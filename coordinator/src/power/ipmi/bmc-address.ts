// A machine's IPMI power address: `host[:port]`, the UDP port defaulting to 623 (RMCP, IPMI v2.0
// §13.1). IPv6 literals are written in brackets when they carry a port: `[fd00::5]:6230`.
import { InvalidArgumentError } from '../../domain-error.js';

export const DEFAULT_IPMI_PORT = 623;

export interface BmcAddress {
  readonly host: string;
  readonly port: number;
}

export function parseBmcAddress(address: string): BmcAddress {
  const text = address.trim();
  if (text === '') throw new InvalidArgumentError('power.address', 'an IPMI BMC address (host[:port]) is required');
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) return { host: bracketed[1]!, port: parsePort(bracketed[2], address) };
  const colons = text.split(':').length - 1;
  // A bare IPv6 literal has several colons and no port.
  if (colons > 1) return { host: text, port: DEFAULT_IPMI_PORT };
  const [host, port] = text.split(':');
  if (!host || /\s/.test(host)) throw new InvalidArgumentError('power.address', `${JSON.stringify(address)} is not host[:port]`);
  return { host, port: parsePort(port, address) };
}

export function formatBmcAddress(address: BmcAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

function parsePort(port: string | undefined, address: string): number {
  if (port === undefined) return DEFAULT_IPMI_PORT;
  const value = Number(port);
  if (!/^\d+$/.test(port) || value < 1 || value > 65535) {
    throw new InvalidArgumentError('power.address', `${JSON.stringify(address)}: port must be 1-65535`);
  }
  return value;
}
