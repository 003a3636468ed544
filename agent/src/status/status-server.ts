// The agent's local status endpoint: /healthz, /readyz, /status, /metrics over HTTP and the
// /status/stream websocket, on 127.0.0.1:9180 by default. start() resolves once listening (port 0
// picks a free port; address tells which); close() stops accepting, terminates websocket
// subscribers and open HTTP connections, and resolves once the listening socket is gone.
//
// Before any route runs: the Host must name this endpoint (421 otherwise) and a websocket upgrade
// must come from no browser page or a same-origin one (403 otherwise); see host-policy.ts.
// Connections are bounded in time and number so a flood cannot starve /healthz: silence while no
// request is being answered closes a connection after idleTimeoutMs, a request head not complete
// headersTimeoutMs after it began (for the first request: after the connection opened) is answered
// 408 and the connection closed, at most maxConnections HTTP connections are held
// (connection-guard.ts) and at most maxStreamClients websocket subscribers.

import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { ConnectionGuard } from './connection-guard.js';
import { StatusListenError, StatusOptionError } from './errors.js';
import { HostPolicy, type AllowedHost } from './host-policy.js';
import type { AgentMetrics } from './metrics.js';
import type { StatusBoard } from './status-board.js';
import { statusRoutes, type RequestHandler } from './status-routes.js';
import { STREAM_PATH, StatusStream } from './status-stream.js';
import { refuseUpgrade } from './upgrade-refusal.js';

export interface StatusLimits {
  /** Silence allowed on a connection while no request is being answered (before the first byte, between requests). */
  idleTimeoutMs: number;
  /** Time allowed for a whole request head (the first one counted from the connection opening); then 408 and close. */
  headersTimeoutMs: number;
  /** HTTP connections held at once; one more closes the longest-waiting one. */
  maxConnections: number;
  /** /status/stream subscribers held at once; one more is answered 503. */
  maxStreamClients: number;
}

/**
 * Probes and scrapers send their request as soon as they connect and read the answer at once, so
 * seconds are generous; 64 connections is far more than the few probes, scrapers and operators a
 * host has, and with the subscribers stays well below any descriptor limit a unit would set.
 */
export const DEFAULT_STATUS_LIMITS: Readonly<StatusLimits> = Object.freeze({
  idleTimeoutMs: 5_000,
  headersTimeoutMs: 10_000,
  maxConnections: 64,
  maxStreamClients: 32,
});

export interface StatusServerOptions {
  /** Where to listen; port 0 picks a free port. */
  listen: { host: string; port: number };
  board: StatusBoard;
  metrics: AgentMetrics;
  /** Names clients may use in Host besides localhost and the listen address (statusAllowedHosts). */
  allowedHosts?: readonly AllowedHost[];
  /** Defaults: DEFAULT_STATUS_LIMITS. */
  limits?: Partial<StatusLimits>;
  log?: Logger;
  /** Added to a StatusListenError: how the operator chooses another address (the daemon's option). */
  listenHint?: string;
}

export type StatusServerState = 'listening' | 'closing' | 'closed';

interface StatusServerParts {
  server: http.Server;
  stream: StatusStream;
  guard: ConnectionGuard;
  hosts: HostPolicy;
  board: StatusBoard;
  metrics: AgentMetrics;
  limits: Readonly<StatusLimits>;
  address: Readonly<{ host: string; port: number }>;
  log: Logger | undefined;
}

export class StatusServer {
  private stateValue: StatusServerState = 'listening';
  private closing: Promise<void> | undefined;
  readonly address: Readonly<{ host: string; port: number }>;
  readonly limits: Readonly<StatusLimits>;

  /** Attaches the request and upgrade handlers; start() calls it in the tick the server began listening. */
  private constructor(private readonly parts: StatusServerParts) {
    this.address = parts.address;
    this.limits = parts.limits;
    const routes = statusRoutes(parts.board, parts.metrics);
    parts.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => this.onRequest(req, res, routes));
    parts.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => this.onUpgrade(req, socket, head));
  }

  /** Listens on options.listen; rejects with StatusListenError naming the address, StatusOptionError for bad limits. */
  static async start(options: StatusServerOptions): Promise<StatusServer> {
    const { board, metrics, log } = options;
    const limits = compileLimits(options.limits);
    const guard = new ConnectionGuard(limits.maxConnections, {
      onEvict: (socket, total) => {
        metrics.statusRefused('evicted');
        // One line per hundred, not one per connection: a flood must not flood the log too.
        if (total === 1 || total % 100 === 0) {
          log?.warn(
            { peer: `${socket.remoteAddress}:${socket.remotePort}`, maxConnections: limits.maxConnections, evicted: total },
            'status endpoint at its connection limit: closed the longest-waiting connection',
          );
        }
      },
    });
    const server = http.createServer({
      headersTimeout: limits.headersTimeoutMs,
      // GET and HEAD carry no body: the whole request is its head.
      requestTimeout: limits.headersTimeoutMs,
      keepAliveTimeout: limits.idleTimeoutMs,
      // How often Node looks for connections past headersTimeout (its default is 30 s).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
    });
    // Node closes a connection silent for server.timeout (its own 'timeout' handler destroys it);
    // ws clears the timeout of an accepted subscriber, whose server may stay silent for long.
    server.timeout = limits.idleTimeoutMs;
    server.on('connection', (socket: Socket) => guard.accepted(socket));
    const stream = new StatusStream(board, limits.maxStreamClients, log);
    const wanted = `${options.listen.host.includes(':') ? `[${options.listen.host}]` : options.listen.host}:${options.listen.port}`;
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: options.listen.host, port: options.listen.port }, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      stream.close();
      throw new StatusListenError(wanted, (err as NodeJS.ErrnoException).code, { cause: err, hint: options.listenHint });
    }
    server.on('error', (err) => log?.error({ err }, 'status server error'));
    const bound = server.address() as AddressInfo;
    // The Host rule needs the bound port, known only now (port 0 binds a free one).
    const hosts = new HostPolicy({ listenHost: options.listen.host, port: bound.port, allowedHosts: options.allowedHosts ?? [] });
    const address = Object.freeze({ host: bound.address, port: bound.port });
    log?.info({ address: `${bound.address}:${bound.port}`, limits }, 'status endpoint listening');
    return new StatusServer({ server, stream, guard, hosts, board, metrics, limits, address, log });
  }

  get state(): StatusServerState {
    return this.stateValue;
  }

  /** http://HOST:PORT of the bound address (IPv6 bracketed). */
  get url(): string {
    const h = this.address.host.includes(':') ? `[${this.address.host}]` : this.address.host;
    return `http://${h}:${this.address.port}`;
  }

  /** Connected /status/stream subscribers. */
  get streamClients(): number {
    return this.parts.stream.clientCount;
  }

  /** HTTP connections held now (waiting for a request or being answered). */
  get connections(): number {
    return this.parts.guard.size;
  }

  /** Stops the server; idempotent (later calls return the same promise). */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.stateValue = 'closing';
    this.closing = new Promise<void>((resolve) => {
      this.parts.stream.close();
      this.parts.server.close(() => {
        this.stateValue = 'closed';
        this.parts.log?.info('status endpoint closed');
        resolve();
      });
      this.parts.server.closeAllConnections();
    });
    return this.closing;
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse, routes: RequestHandler): void {
    const { guard, hosts, metrics, log } = this.parts;
    const socket = req.socket;
    guard.requestStarted(socket);
    res.once('close', () => guard.requestFinished(socket));
    const host = hosts.checkHost(req.headers.host, socket.localAddress);
    if (!host.ok) {
      metrics.statusRefused('host');
      log?.debug({ peer: `${socket.remoteAddress}:${socket.remotePort}`, host: req.headers.host }, 'status request refused: Host');
      refuseRequest(res, 421, host.problem);
      return;
    }
    routes(req, res).catch((err: unknown) => {
      log?.error({ err, path: req.url }, 'status request failed');
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('internal error\n');
    });
  }

  private onUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const { guard, hosts, metrics, stream, log } = this.parts;
    guard.upgraded(req.socket);
    const peer = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const host = hosts.checkHost(req.headers.host, req.socket.localAddress);
    if (!host.ok) {
      metrics.statusRefused('host');
      log?.debug({ peer, host: req.headers.host }, 'status upgrade refused: Host');
      refuseUpgrade(socket, 421, host.problem);
      return;
    }
    const origin = hosts.checkOrigin(req.headers.origin, host.authority);
    if (!origin.ok) {
      metrics.statusRefused('origin');
      log?.debug({ peer, origin: req.headers.origin }, 'status upgrade refused: Origin');
      refuseUpgrade(socket, 403, origin.problem);
      return;
    }
    if (new URL(req.url ?? '/', 'http://status.invalid').pathname !== STREAM_PATH) {
      refuseUpgrade(socket, 404, `only ${STREAM_PATH} is a websocket`);
      return;
    }
    if (!stream.handleUpgrade(req, socket, head)) metrics.statusRefused('stream_full');
  }
}

function compileLimits(given: Partial<StatusLimits> = {}): Readonly<StatusLimits> {
  const limits = { ...DEFAULT_STATUS_LIMITS, ...given };
  for (const [field, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 1)
      throw new StatusOptionError(`limits.${field}`, `must be a positive integer (got ${String(value)})`);
  }
  return Object.freeze(limits);
}

function refuseRequest(res: http.ServerResponse, status: number, problem: string): void {
  const body = `${problem}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
    Connection: 'close',
  });
  res.end(body);
}
