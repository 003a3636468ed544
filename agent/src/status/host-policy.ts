// Which Host and Origin values the status endpoint answers, as pure functions of the headers, the
// bound port and the address a connection arrived on (no sockets here).
//
// Host (DNS rebinding): a web page on evil.example can make its own name resolve to 127.0.0.1,
// after which the browser sends the page's requests to the agent with `Host: evil.example:9180`
// and lets the page read the answers. The endpoint therefore answers only Host values that name it:
// localhost, 127.0.0.1 or [::1]; the host it was told to listen on; the IP address the connection
// arrived on (so a wildcard listener is reachable by any of the machine's addresses, and only by
// them); or an entry of statusAllowedHosts. The port must be the bound port (80 when Host has none),
// except for an allowed entry written HOST:PORT (a proxy or port-forward in front of the agent).
// A request without Host (HTTP/1.0; Node refuses an HTTP/1.1 one) is answered: a browser always
// sends Host.
//
// Origin (websocket upgrades only): browsers do not apply CORS to websockets, so any page could
// read /status/stream. An upgrade without Origin is a non-browser client and is accepted; with
// Origin, the origin's host and port must be the request's Host (the page was served from this
// endpoint); anything else, "null" included, is refused. Plain GETs need no Origin rule: CORS
// already keeps a cross-site page from reading their answers, and none of them changes anything.

import net from 'node:net';

/** A Host value taken apart: host lowercased, IPv6 without brackets, no trailing dot. */
export interface Authority {
  host: string;
  /** null: the header named no port. */
  port: number | null;
}

/** One statusAllowedHosts entry: a name or address (optionally with its own port) or a .domain. */
export interface AllowedHost {
  /** "exact": host must equal; "domain": host must be the domain or end in "." + domain. */
  match: 'exact' | 'domain';
  host: string;
  /** null: the bound port. */
  port: number | null;
}

export type HostVerdict = { ok: true; authority: Authority | null } | { ok: false; problem: string };
export type OriginVerdict = { ok: true } | { ok: false; problem: string };

const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1']);
const WILDCARDS: ReadonlySet<string> = new Set(['0.0.0.0', '::']);

// RFC 9110 §7.2: Host = uri-host [ ":" port ]. Only what a browser or curl sends for a name or an
// IP literal; userinfo, paths and percent-escapes are not part of a Host and are refused outright.
const AUTHORITY_RE = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?))(?::(\d{1,5}))?$/;

/** Parses a Host value (or a HOST[:PORT] entry); undefined when it is not one. */
export function parseAuthority(text: string): Authority | undefined {
  const m = AUTHORITY_RE.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const port = m[3] === undefined ? null : Number(m[3]);
  if (port !== null && (port < 1 || port > 65535)) return undefined;
  if (m[1] !== undefined) {
    // Only an IPv6 literal goes in brackets; an IPv4-mapped one compares as its IPv4 address.
    const ip = net.isIPv6(m[1]) ? canonicalIp(m[1]) : undefined;
    return ip === undefined ? undefined : { host: ip, port };
  }
  const name = m[2]!.replace(/\.$/, '');
  return { host: canonicalIp(name) ?? name, port };
}

/** Parses one statusAllowedHosts entry: HOST, HOST:PORT, [V6], [V6]:PORT, .DOMAIN or .DOMAIN:PORT. */
export function parseAllowedHost(text: string): AllowedHost | undefined {
  const t = text.trim();
  const domain = t.startsWith('.');
  const a = parseAuthority(domain ? t.slice(1) : t);
  if (!a || a.host === '' || WILDCARDS.has(a.host)) return undefined;
  if (domain && (net.isIP(a.host) !== 0 || !a.host.includes('.'))) return undefined;
  return { match: domain ? 'domain' : 'exact', host: a.host, port: a.port };
}

/** The entry as an operator writes it (the inverse of parseAllowedHost). */
export function formatAllowedHost(h: AllowedHost): string {
  const host = h.host.includes(':') ? `[${h.host}]` : h.host;
  return `${h.match === 'domain' ? '.' : ''}${host}${h.port === null ? '' : `:${h.port}`}`;
}

export interface HostPolicyOptions {
  /** The host the server was told to listen on (a name, an address or a wildcard). */
  listenHost: string;
  /** The bound port. */
  port: number;
  allowedHosts: readonly AllowedHost[];
}

export class HostPolicy {
  private readonly listenHost: string | undefined;

  constructor(private readonly options: HostPolicyOptions) {
    const listen = parseAuthority(options.listenHost.includes(':') ? `[${options.listenHost}]` : options.listenHost);
    this.listenHost = listen && !WILDCARDS.has(listen.host) ? listen.host : undefined;
  }

  /** Host rule; localAddress is the address the connection arrived on (socket.localAddress). */
  checkHost(hostHeader: string | undefined, localAddress: string | undefined): HostVerdict {
    if (hostHeader === undefined) return { ok: true, authority: null };
    const a = parseAuthority(hostHeader);
    if (!a) return { ok: false, problem: `Host ${printable(hostHeader)} is not HOST[:PORT]` };
    if (this.allows(a, localAddress)) return { ok: true, authority: a };
    return {
      ok: false,
      problem:
        `Host ${printable(hostHeader)} does not name this status endpoint: use localhost:${this.options.port}, ` +
        `its listen address or the address connected to; other names must be listed in statusAllowedHosts`,
    };
  }

  /** Origin rule for a websocket upgrade whose Host passed checkHost (authority null: no Host). */
  checkOrigin(originHeader: string | undefined, authority: Authority | null): OriginVerdict {
    if (originHeader === undefined) return { ok: true };
    const refused: OriginVerdict = {
      ok: false,
      problem: `Origin ${printable(originHeader)} is another site: /status/stream serves no web pages`,
    };
    let url: URL;
    try {
      url = new URL(originHeader);
    } catch {
      return refused;
    }
    const defaultPort =
      url.protocol === 'http:' || url.protocol === 'ws:' ? 80 : url.protocol === 'https:' || url.protocol === 'wss:' ? 443 : undefined;
    if (defaultPort === undefined || authority === null) return refused;
    const host = parseAuthority(url.host);
    const originPort = url.port === '' ? defaultPort : Number(url.port);
    if (!host || host.host !== authority.host || originPort !== (authority.port ?? 80)) return refused;
    return { ok: true };
  }

  private allows(a: Authority, localAddress: string | undefined): boolean {
    const port = a.port ?? 80;
    for (const entry of this.options.allowedHosts) {
      const hostMatches = entry.match === 'exact' ? a.host === entry.host : a.host === entry.host || a.host.endsWith(`.${entry.host}`);
      if (hostMatches && port === (entry.port ?? this.options.port)) return true;
    }
    if (port !== this.options.port) return false;
    if (LOOPBACK_NAMES.has(a.host) || a.host === this.listenHost) return true;
    const local = localAddress === undefined ? undefined : canonicalIp(localAddress);
    return local !== undefined && a.host === local;
  }
}

/**
 * An IP address in one spelling: IPv6 compressed and lowercased, an IPv4-mapped IPv6 address
 * (what a dual-stack listener reports) as IPv4, a zone id dropped; undefined when not an address.
 */
export function canonicalIp(text: string): string | undefined {
  const t = text.replace(/%.*$/, '').toLowerCase();
  if (net.isIPv4(t)) return t;
  if (!net.isIPv6(t)) return undefined;
  const v6 = new URL(`http://[${t}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6) ?? /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (!mapped) return v6;
  if (mapped.length === 2) return mapped[1];
  const hi = parseInt(mapped[1]!, 16);
  const lo = parseInt(mapped[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** A header value for a message: quoted, control characters escaped, cut to 100 characters. */
function printable(value: string): string {
  const s = JSON.stringify(value.length > 100 ? `${value.slice(0, 97)}...` : value);
  return s.replace(/[^\x20-\x7e]/g, '?');
}
