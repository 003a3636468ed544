// The web console's own HTTPS listener (config consoleListen): the pages and their JSON API
// (console-routes.ts), with the coordinator's server certificate, beside the gRPC port. Started
// and stopped in the coordinator's lifecycle like the metrics listener.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type * as grpc from '@grpc/grpc-js';
import { loadMooringProto } from '../../../proto/loader.js';
import type { Clock } from '../clock.js';
import type { ListenAddress } from '../config.js';
import type { Logger } from '../logger.js';
import type { IssuedCertificate } from '../pki/certificate-authority.js';
import type { ApiTokens } from '../tenancy/api-tokens.js';
import { consoleRoutes } from './console-routes.js';
import { ConsoleSessions } from './console-sessions.js';
import { ConsoleListenError } from './errors.js';
import type { EventStreamSource } from './event-stream.js';
import { ProtoJson } from './proto-json.js';
import { RpcDispatcher, type ConsoleHandlers, type RpcFinished } from './rpc-dispatch.js';
import { defaultConsoleDir, StaticFiles } from './static-files.js';

export interface ConsoleServerDeps {
  readonly listen: ListenAddress;
  readonly certificate: IssuedCertificate;
  /** The handlers the gRPC server serves (the same objects). */
  readonly handlers: Partial<ConsoleHandlers>;
  readonly tokens: ApiTokens;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The built pages; default dist/console beside the compiled coordinator. */
  readonly staticDir?: string;
  /** Told of every API call the console made (the coordinator's RPC metrics). */
  readonly rpcFinished?: RpcFinished;
}

export class ConsoleServer {
  private constructor(
    private readonly server: https.Server,
    private readonly sessions: ConsoleSessions,
    readonly host: string,
    readonly port: number,
    private readonly log: Logger,
  ) {}

  /** Binds deps.listen (port 0: any free port) and serves the console; rejects with ConsoleListenError. */
  static async start(deps: ConsoleServerDeps): Promise<ConsoleServer> {
    const log = deps.logger.child({ component: 'console' });
    const json = ProtoJson.load();
    const sessions = new ConsoleSessions({ tokens: deps.tokens, clock: deps.clock, logger: log });
    const files = new StaticFiles(deps.staticDir ?? defaultConsoleDir());
    if (!files.built()) log.warn({ dir: deps.staticDir ?? defaultConsoleDir() }, 'the console pages are not built: only its API is served');
    const watch = deps.handlers.EventService?.WatchEvents;
    const events: EventStreamSource | null = watch
      ? {
          handler: watch as grpc.handleServerStreamingCall<unknown, unknown>,
          definition: loadMooringProto().service('EventService').WatchEvents as unknown as grpc.MethodDefinition<unknown, unknown>,
          json,
          log,
        }
      : null;
    const app = consoleRoutes({ sessions, rpc: new RpcDispatcher(deps.handlers, json, log, deps.rpcFinished), events, files, log });
    const server = createAdaptorServer({
      fetch: app.fetch,
      createServer: https.createServer,
      serverOptions: { key: deps.certificate.keyPem, cert: deps.certificate.certPem },
    }) as https.Server;
    // A client that opens a connection and sends nothing must not hold it for ever; event streams
    // are long responses, not long requests, so they are not cut by these.
    server.headersTimeout = 10_000;
    server.requestTimeout = 30_000;
    server.keepAliveTimeout = 5_000;
    const { listen } = deps;
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException): void => {
        reject(new ConsoleListenError(listen.host, listen.port, error.code ?? error.message, { cause: error }));
      };
      server.once('error', failed);
      server.listen({ host: listen.host, port: listen.port }, () => {
        server.off('error', failed);
        resolve();
      });
    });
    server.on('error', (error) => log.error({ err: error }, 'console listener failed'));
    // A failed TLS handshake (a scanner, a plain-HTTP request) is the client's problem, not ours.
    server.on('tlsClientError', (error) => log.debug({ err: error }, 'console TLS handshake failed'));
    sessions.start();
    const { port } = server.address() as AddressInfo;
    log.info({ host: listen.host, port }, 'console listening');
    return new ConsoleServer(server, sessions, listen.host, port, log);
  }

  /** https://HOST:PORT/, where a browser opens the console. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `https://${host}:${this.port}/`;
  }

  /** Sessions held now. */
  sessionCount(): number {
    return this.sessions.size();
  }

  /** Ends every session (closing their event streams), stops listening, ends open connections. */
  async close(): Promise<void> {
    this.sessions.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.log.info('console listener closed');
  }
}
