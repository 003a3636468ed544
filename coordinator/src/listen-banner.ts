// The one plain-text line the coordinator prints on stderr once it listens, for the operator who
// started it by hand or reads `journalctl -u mooring-coordinator`: where it listens (the bound
// port, so --listen HOST:0 shows the one picked) and, for a wildcard address, which of this host's
// addresses that means, since "0.0.0.0" alone does not say whether the API is reachable from
// other networks. Pure: the interfaces are passed in (os.networkInterfaces() in main.ts).

import type { NetworkInterfaceInfo } from 'node:os';

export interface ListenBannerInput {
  host: string;
  port: number;
  dataDir: string;
  /** os.networkInterfaces(), used only for a wildcard host; null when they could not be read. */
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> | null;
}

function hostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function addresses(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> | null, family: 'IPv4' | 'any'): string {
  if (interfaces === null) return 'its addresses could not be read';
  const all = Object.values(interfaces).flatMap((list) => list ?? []);
  const list = [...new Set(all.filter((i) => family === 'any' || i.family === family).map((i) => i.address))].sort();
  return list.length ? list.join(', ') : 'none found';
}

/** "mooring-coordinator: listening on HOST:PORT ..." (no trailing newline). */
export function listenBanner(input: ListenBannerInput): string {
  const where = hostPort(input.host, input.port);
  const head = `mooring-coordinator: listening on ${where} (gRPC over TLS)`;
  const tail = `; data in ${input.dataDir}`;
  if (input.host === '0.0.0.0') {
    return `${head}: every IPv4 address of this host (${addresses(input.interfaces, 'IPv4')}); --listen HOST:PORT narrows it${tail}`;
  }
  if (input.host === '::') {
    // Node opens a dual-stack socket for "::" unless told otherwise: IPv4 addresses are served too.
    const list = addresses(input.interfaces, 'any');
    return `${head}: every IPv6 and IPv4 address of this host (${list}); --listen HOST:PORT narrows it${tail}`;
  }
  return `${head}${tail}`;
}
