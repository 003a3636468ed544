// Which coordinator the agent dials next. The configured list (coordinators: [HOST:PORT, ...]) is
// expanded into dial targets: an IP address is one target; a DNS name is one target per address it
// resolves to (A and AAAA, in the resolver's order), each dialed by address and checked against
// the name on the certificate. The agent stays with the target it is on while sessions work; when
// one fails it moves to the next, and after the last it starts over, resolving names again so a
// changed DNS record is seen. After a restart the agent starts at the entry it was last welcomed
// by (kept in its store), so a fleet that failed over does not all crowd back onto the first one.

import { lookup } from 'node:dns/promises';
import net from 'node:net';
import type { Logger } from 'pino';
import { formatHostPort, type HostPort } from '../config/host-port.js';
import type { DialTarget } from './grpc-channel.js';

export interface CoordinatorTarget extends DialTarget {
  /** The configured entry this target came from (HOST:PORT as written). */
  configured: string;
  /** For status and logs: the address, with the configured name when they differ. */
  label: string;
}

/** Resolves a host name to its addresses (IPv4 and IPv6), in the order to try them. */
export type HostResolver = (host: string) => Promise<string[]>;

/** The system resolver (getaddrinfo via dns.lookup: /etc/hosts, then DNS), every address. */
export const systemResolver: HostResolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export class CoordinatorRotation {
  private targets: CoordinatorTarget[] = [];
  private index = 0;
  /** The configured entry to start the first round at (the last one that welcomed the agent). */
  private preferred: string | null;

  /** `preferred`: a configured entry (HOST:PORT as written) to start at; ignored if not in the list. */
  constructor(
    private readonly configured: readonly HostPort[],
    private readonly resolve: HostResolver,
    private readonly log: Logger,
    preferred: string | null = null,
  ) {
    if (configured.length === 0) throw new Error('no coordinator addresses to rotate through');
    this.preferred = preferred;
  }

  /** The target to dial now: the one in use, or the first of a fresh expansion of the list. */
  async current(): Promise<CoordinatorTarget> {
    if (this.targets.length === 0) {
      this.targets = await this.expand();
      const start = this.targets.findIndex((t) => t.configured === this.preferred);
      this.index = Math.max(0, start);
      // Only the first round starts there; later rounds go in the configured order.
      this.preferred = null;
    }
    return this.targets[this.index]!;
  }

  /** The last dialed target failed (or its session died): the next call to current() gives the next. */
  advance(): void {
    if (this.targets.length === 0) return;
    this.index++;
    // Past the end: expand again on the next current(), so DNS changes are picked up each round.
    if (this.index >= this.targets.length) this.targets = [];
  }

  private async expand(): Promise<CoordinatorTarget[]> {
    const out: CoordinatorTarget[] = [];
    for (const entry of this.configured) {
      const configured = formatHostPort(entry);
      if (net.isIP(entry.host) !== 0) {
        out.push({ address: configured, configured, label: configured });
        continue;
      }
      let addresses: string[] = [];
      try {
        addresses = await this.resolve(entry.host);
      } catch (err) {
        this.log.warn({ coordinator: configured, err: (err as Error).message }, 'coordinator name did not resolve');
      }
      if (addresses.length === 0) {
        // Kept as a name: the dial then fails with grpc's own resolution error, and the rotation
        // moves on to the other entries meanwhile.
        out.push({ address: configured, configured, label: configured });
        continue;
      }
      for (const address of new Set(addresses)) {
        const dialed = formatHostPort({ host: address, port: entry.port });
        out.push({ address: dialed, serverName: entry.host, configured, label: `${configured} (${dialed})` });
      }
    }
    this.log.debug({ targets: out.map((t) => t.label) }, 'coordinator addresses');
    return out;
  }
}
