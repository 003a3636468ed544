// A test HTTP server that stands in for the coordinator's boot service until it exists: it serves
// fixed bodies by path (an iPXE script, say) on one address and records every request it got (path
// and the peer's address), so a test can tell which machine fetched what.
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BootRequest {
  readonly method: string;
  readonly path: string;
  readonly from: string;
  readonly status: number;
}

interface Route {
  readonly body: string;
  readonly after: Promise<unknown>;
}

export class BootHttpRecorder {
  readonly requests: BootRequest[] = [];
  private readonly events = new EventEmitter();

  private constructor(
    private readonly server: http.Server,
    private readonly routes: Map<string, Route>,
  ) {}

  /** Listens on `address`, port 0. */
  static async start(address: string): Promise<BootHttpRecorder> {
    const routes = new Map<string, Route>();
    const server = http.createServer();
    const recorder = new BootHttpRecorder(server, routes);
    server.on('request', (req, res) => void recorder.answer(req, res));
    server.listen(0, address);
    await once(server, 'listening');
    return recorder;
  }

  /** http://ADDRESS:PORT */
  get origin(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  /**
   * Serves `body` at `path` (text/plain). With `after`, requests wait for it before they are answered
   * (a long poll: a machine's script held back until another machine is up).
   */
  serve(path: string, body: string, after: Promise<unknown> = Promise.resolve()): void {
    this.routes.set(path, { body, after });
  }

  /** Resolves with the first request (already made or still to come) matching `predicate`. */
  async waitFor(predicate: (request: BootRequest) => boolean, what: string, timeoutMs = 60_000): Promise<BootRequest> {
    const seen = this.requests.find(predicate);
    if (seen) return seen;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('request', listener);
        reject(new Error(`no request for ${what} within ${timeoutMs} ms (got: ${JSON.stringify(this.requests)})`));
      }, timeoutMs);
      const listener = (request: BootRequest): void => {
        if (!predicate(request)) return;
        clearTimeout(timer);
        this.events.off('request', listener);
        resolve(request);
      };
      this.events.on('request', listener);
    });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const route = req.method === 'GET' ? this.routes.get(path) : undefined;
    const status = route === undefined ? 404 : 200;
    // Recorded on arrival. IPv4 peers arrive as plain dotted quads on an IPv4 listener.
    const request: BootRequest = { method: req.method ?? '', path: req.url ?? '', from: req.socket.remoteAddress ?? '', status };
    this.requests.push(request);
    this.events.emit('request', request);
    if (route) await route.after.catch(() => undefined);
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(route?.body ?? 'not found\n');
  }
}
