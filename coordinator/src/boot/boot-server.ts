// The boot service's own plain-HTTP listener (config bootListen), started and stopped in the
// coordinator's lifecycle like the metrics and console listeners.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { ListenAddress } from '../config.js';
import type { Logger } from '../logger.js';
import { bootRoutes, type BootRoutesDeps } from './boot-routes.js';
import { BootListenError } from './errors.js';

export class BootServer {
  private constructor(
    private readonly server: http.Server,
    readonly host: string,
    readonly port: number,
    private readonly log: Logger,
  ) {}

  /** Binds `listen` (port 0: any free port) and serves the boot routes; rejects with BootListenError. */
  static async start(listen: ListenAddress, deps: BootRoutesDeps): Promise<BootServer> {
    const log = deps.logger;
    const app = bootRoutes(deps);
    const server = createAdaptorServer({ fetch: app.fetch, createServer: http.createServer }) as http.Server;
    // Images are long responses: only the request's arrival is bounded, not the transfer.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException): void => {
        reject(new BootListenError(listen.host, listen.port, error.code ?? error.message, { cause: error }));
      };
      server.once('error', failed);
      server.listen({ host: listen.host, port: listen.port }, () => {
        server.off('error', failed);
        resolve();
      });
    });
    server.on('error', (error) => log.error({ err: error }, 'boot listener failed'));
    const { port } = server.address() as AddressInfo;
    log.info({ host: listen.host, port }, 'boot service listening');
    return new BootServer(server, listen.host, port, log);
  }

  /** Stops listening and ends open connections (transfers in progress are cut: the ramdisk reports the failure). */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.log.info('boot listener closed');
  }
}
