// The gRPC server: mooring.v1 services over TLS (server certificate from the coordinator's CA),
// plus grpc.health.v1 and server reflection. Every call passes the call guard first: request
// size limits per method and the bound on unauthenticated calls in progress (call-guard.ts).
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation, type ServingStatusMap } from 'grpc-health-check';
import { servedDescriptors } from '../../../proto/descriptors/descriptor-index.js';
import { AGENT_ADMIN_SERVICE, AGENT_SERVICE, loadMooringProto, SERVICE_NAMES, type ServiceHandlers } from '../../../proto/loader.js';
import { callGuard, DEFAULT_CALL_GUARD, type CallGuardOptions } from './call-guard.js';
import { requestedClientCertificates } from './client-certificates.js';
import { MAX_REQUEST_LIMIT, withRequestLimits } from './request-limits.js';
import { REFLECTION_SERVICES, ServerReflection } from './server-reflection.js';
import type { ListenAddress } from '../config.js';
import type { Logger } from '../logger.js';
import type { IssuedCertificate } from '../pki/certificate-authority.js';

export class ApiServer {
  private constructor(
    private readonly server: grpc.Server,
    private readonly health: HealthImplementation,
    private readonly healthNames: readonly string[],
    readonly port: number,
    private readonly logger: Logger,
  ) {}

  static async start(
    listen: ListenAddress,
    certificate: IssuedCertificate,
    implementations: Readonly<Partial<ServiceHandlers>>,
    logger: Logger,
    caPem?: string,
    guardOptions: CallGuardOptions = DEFAULT_CALL_GUARD,
  ): Promise<ApiServer> {
    const proto = loadMooringProto();
    const guard = callGuard(guardOptions, logger);
    const server = new grpc.Server({
      'grpc.max_concurrent_streams': 1000,
      // channelz keeps per-call statistics nobody here reads; it costs measurable CPU per call.
      'grpc.enable_channelz': 0,
      // Checked against each message's length prefix before its body is buffered; smaller
      // per-method limits are applied before decoding (request-limits.ts).
      'grpc.max_receive_message_length': MAX_REQUEST_LIMIT,
      interceptors: [guard.interceptor],
    });
    const served = [...SERVICE_NAMES, AGENT_SERVICE, AGENT_ADMIN_SERVICE].filter((name) => implementations[name] !== undefined);
    const statuses: ServingStatusMap = { '': 'SERVING' };
    for (const name of served) {
      server.addService(withRequestLimits(proto.service(name)), implementations[name] ?? {});
      statuses[`mooring.v1.${name}`] = 'SERVING';
    }
    const health = new HealthImplementation(statuses);
    health.addToServer(server);
    const apiLogger = logger.child({ component: 'api' });
    // Reflection lists what is served, each described by the descriptors protoc compiled.
    const listed = [...served.map((name) => `mooring.v1.${name}`), 'grpc.health.v1.Health', ...REFLECTION_SERVICES];
    new ServerReflection(servedDescriptors(), listed, apiLogger.child({ component: 'reflection' })).addToServer(server);
    // People authenticate with tokens and present no certificate; agents present the one they
    // enrolled for. With the CA given, a client certificate is asked for but not required.
    const credentials = caPem
      ? requestedClientCertificates(certificate, caPem)
      : grpc.ServerCredentials.createSsl(
          null,
          [{ private_key: Buffer.from(certificate.keyPem), cert_chain: Buffer.from(certificate.certPem) }],
          false,
        );
    const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`${host}:${listen.port}`, credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    apiLogger.info({ host: listen.host, port }, 'gRPC server bound');
    return new ApiServer(server, health, ['', ...served.map((name) => `mooring.v1.${name}`)], port, apiLogger);
  }

  /** Health of every service: NOT_SERVING while the coordinator cannot store changes (a full data disk). */
  setServing(serving: boolean): void {
    for (const name of this.healthNames) this.health.setStatus(name, serving ? 'SERVING' : 'NOT_SERVING');
  }

  /** Stops accepting calls, lets running ones finish for `graceMs`, then cuts them off. */
  async stop(graceMs: number): Promise<void> {
    for (const name of this.healthNames) this.health.setStatus(name, 'NOT_SERVING');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      timer.unref();
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.logger.info('gRPC server stopped');
  }
}
