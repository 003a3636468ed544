// The coordinator's own plain HTTP listener for Prometheus: GET (or HEAD) /metrics answers the text
// exposition; anything else is 404 or 405. It is apart from the gRPC port, which speaks only TLS
// and HTTP/2, so any scraper (Prometheus, curl, an agent's exporter) reads it without certificates.
// It serves only metrics, and /readyz (200 or 503 with the reasons, as JSON): nothing secret, and
// nothing that changes state.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ListenAddress } from '../config.js';
import type { Logger } from '../logger.js';
import { MetricsListenError } from './errors.js';

export const METRICS_PATH = '/metrics';
export const READY_PATH = '/readyz';

/** Whether the coordinator can serve: 503 with the reasons while it cannot (its store unreachable, say). */
export interface ReadinessSource {
  readiness(): Promise<{ ready: boolean; reasons: string[] }>;
}

/** What the listener serves: the text and its content type, read at every scrape. */
export interface MetricsSource {
  text(): Promise<string>;
  readonly contentType: string;
}

export class MetricsServer {
  private constructor(
    private readonly server: http.Server,
    readonly host: string,
    readonly port: number,
    private readonly log: Logger,
  ) {}

  /** Binds `listen` (port 0: any free port) and serves `source`; rejects with MetricsListenError. */
  static async start(
    listen: ListenAddress,
    source: MetricsSource,
    logger: Logger,
    ready: ReadinessSource | null = null,
  ): Promise<MetricsServer> {
    const log = logger.child({ component: 'metrics' });
    const server = http.createServer((req, res) => {
      answer(req, res, source, ready).catch((error: unknown) => {
        log.error({ err: error }, 'rendering /metrics failed');
        if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'could not render the metrics\n');
        else res.destroy();
      });
    });
    // A scraper that opens a connection and sends nothing must not hold it for ever.
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException): void => {
        reject(new MetricsListenError(listen.host, listen.port, error.code ?? error.message, { cause: error }));
      };
      server.once('error', failed);
      server.listen({ host: listen.host, port: listen.port }, () => {
        server.off('error', failed);
        resolve();
      });
    });
    server.on('error', (error) => log.error({ err: error }, 'metrics listener failed'));
    const { port } = server.address() as AddressInfo;
    return new MetricsServer(server, listen.host, port, log);
  }

  /** http://HOST:PORT/metrics, as a scraper would be configured with it. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}${METRICS_PATH}`;
  }

  /** Stops listening and ends open connections (a scrape in progress is cut off). */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.log.info('metrics listener closed');
  }
}

async function answer(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  source: MetricsSource,
  ready: ReadinessSource | null,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://metrics.invalid').pathname;
  if (path === READY_PATH && ready) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', `method ${req.method ?? ''} not allowed\n`);
      return;
    }
    const state = await ready.readiness();
    send(res, state.ready ? 200 : 503, 'application/json', `${JSON.stringify(state)}\n`);
    return;
  }
  if (path !== METRICS_PATH) {
    send(res, 404, 'text/plain; charset=utf-8', `not found: ${path} (the metrics are at ${METRICS_PATH})\n`);
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', `method ${req.method ?? ''} not allowed\n`);
    return;
  }
  send(res, 200, source.contentType, await source.text());
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
