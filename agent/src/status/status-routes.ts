// The plain HTTP endpoints of the status server, as one request handler over the StatusBoard and
// the metrics. GET and HEAD only (405 otherwise); 404 for unknown paths. /readyz answers text by
// default and JSON when the client accepts application/json (or asks ?format=json), so both
// curl users and probes that parse bodies get the reasons.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentMetrics } from './metrics.js';
import type { StatusBoard } from './status-board.js';
import { STREAM_PATH } from './status-stream.js';

export const STATUS_PATHS = ['/healthz', '/readyz', '/status', '/metrics', STREAM_PATH] as const;

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function statusRoutes(board: StatusBoard, metrics: AgentMetrics): RequestHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://status.invalid');
    if (!(STATUS_PATHS as readonly string[]).includes(url.pathname)) {
      send(res, 404, 'text/plain; charset=utf-8', `not found: ${url.pathname} (try ${STATUS_PATHS.join(', ')})\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, 'text/plain; charset=utf-8', `method ${req.method} not allowed\n`);
      return;
    }
    switch (url.pathname) {
      case '/healthz':
        send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
        return;
      case '/readyz': {
        const r = board.readiness();
        const status = r.ready ? 200 : 503;
        if (wantsJson(req, url)) send(res, status, 'application/json', `${JSON.stringify(r)}\n`);
        else
          send(res, status, 'text/plain; charset=utf-8', r.ready ? 'ready\n' : `not ready\n${r.reasons.map((x) => `- ${x}\n`).join('')}`);
        return;
      }
      case '/status':
        send(res, 200, 'application/json', `${JSON.stringify(board.snapshot, null, 2)}\n`);
        return;
      case '/metrics':
        send(res, 200, metrics.contentType, await metrics.text());
        return;
      default:
        // STREAM_PATH without an upgrade.
        res.setHeader('Upgrade', 'websocket');
        send(res, 426, 'text/plain; charset=utf-8', `${STREAM_PATH} is a websocket: connect with Upgrade: websocket\n`);
    }
  };
}

function wantsJson(req: IncomingMessage, url: URL): boolean {
  if (url.searchParams.get('format') === 'json') return true;
  return (req.headers.accept ?? '').includes('application/json');
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
