// The agent's local status endpoint: /healthz, /readyz, /status, /metrics over HTTP and the
// /status/stream websocket, on 127.0.0.1:9180 by default. start() resolves once listening (port 0
// picks a free port; address tells which); close() stops accepting, terminates websocket
// subscribers and open HTTP connections, and resolves once the listening socket is gone.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { StatusListenError } from './errors.js';
import type { AgentMetrics } from './metrics.js';
import type { StatusBoard } from './status-board.js';
import { statusRoutes } from './status-routes.js';
import { STREAM_PATH, StatusStream } from './status-stream.js';

export interface StatusServerOptions {
  /** Where to listen; port 0 picks a free port. */
  listen: { host: string; port: number };
  board: StatusBoard;
  metrics: AgentMetrics;
  log?: Logger;
}

export type StatusServerState = 'listening' | 'closing' | 'closed';

export class StatusServer {
  private stateValue: StatusServerState = 'listening';
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: http.Server,
    private readonly stream: StatusStream,
    readonly address: { host: string; port: number },
    private readonly log: Logger | undefined,
  ) {}

  /** Listens on options.listen; rejects with StatusListenError naming the address. */
  static async start(options: StatusServerOptions): Promise<StatusServer> {
    const { board, metrics, log } = options;
    const routes = statusRoutes(board, metrics);
    const server = http.createServer((req, res) => {
      routes(req, res).catch((err: unknown) => {
        log?.error({ err, path: req.url }, 'status request failed');
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('internal error\n');
      });
    });
    // Probes and scrapers are local and short-lived; do not let a stalled one hold a socket.
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    const stream = new StatusStream(board, log);
    server.on('upgrade', (req, socket, head: Buffer) => {
      if (new URL(req.url ?? '/', 'http://status.invalid').pathname === STREAM_PATH) {
        stream.handleUpgrade(req, socket, head);
        return;
      }
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    });
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
      throw new StatusListenError(wanted, (err as NodeJS.ErrnoException).code, { cause: err });
    }
    server.on('error', (err) => log?.error({ err }, 'status server error'));
    const bound = server.address() as AddressInfo;
    const address = Object.freeze({ host: bound.address, port: bound.port });
    log?.info({ address: `${bound.address}:${bound.port}` }, 'status endpoint listening');
    return new StatusServer(server, stream, address, log);
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
    return this.stream.clientCount;
  }

  /** Stops the server; idempotent (later calls return the same promise). */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.stateValue = 'closing';
    this.closing = new Promise<void>((resolve) => {
      this.stream.close();
      this.server.close(() => {
        this.stateValue = 'closed';
        this.log?.info('status endpoint closed');
        resolve();
      });
      this.server.closeAllConnections();
    });
    return this.closing;
  }
}
