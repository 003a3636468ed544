// gRPC clients for the coordinator's AgentService: server-authenticated TLS for enrollment (the
// agent has no certificate yet), mutual TLS with the agent's certificate for everything else.

import * as grpc from '@grpc/grpc-js';
import type { AgentServiceClient, AgentServiceDefinition } from '../../../proto/generated/index.js';
import { loadMooringProto } from '../../../proto/loader.js';
import { TlsChannelCredentials } from '../../../proto/shared/tls-channel-credentials.js';
import type { Credentials } from './credentials.js';

export type { AgentServiceClient };

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // Reconnects are ours (capped, jittered backoff in the session); keep grpc's own short.
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2000,
};

/** Where to dial a coordinator, and which name its certificate must carry. */
export interface DialTarget {
  /** HOST:PORT dialed: an IP address, or the configured name when it was not resolved here. */
  address: string;
  /** The configured DNS name an IP address came from: checked against the certificate. */
  serverName?: string;
}

/**
 * A client for a target (HOST:PORT, the host a name or an IP address). TLS sends no ServerName for
 * an IP address (RFC 6066; Node warns otherwise) and still checks the address against the
 * certificate's IP SANs; an address resolved from a name is checked against that name: see
 * proto/shared/tls-channel-credentials.ts.
 */
export function agentClient(to: string | DialTarget, caPem: string, creds?: Credentials): AgentServiceClient {
  const target: DialTarget = typeof to === 'string' ? { address: to } : to;
  const Ctor = loadMooringProto().client('AgentService');
  const channelCreds = new TlsChannelCredentials({
    caPem,
    client: creds ? { keyPem: creds.keyPem, certPem: creds.certPem } : undefined,
    ...(target.serverName === undefined ? {} : { serverName: target.serverName }),
  });
  const options: grpc.ChannelOptions =
    target.serverName === undefined ? CHANNEL_OPTIONS : { ...CHANNEL_OPTIONS, 'grpc.default_authority': target.serverName };
  return new Ctor(target.address, channelCreds, options);
}

/** PERMISSION_DENIED or UNAUTHENTICATED: the coordinator refuses this agent (revoked, or not known). */
export function isRefusal(code: grpc.status): boolean {
  return code === grpc.status.PERMISSION_DENIED || code === grpc.status.UNAUTHENTICATED;
}

type UnaryMethod = 'Enroll' | 'Renew';
type RequestOf<M extends UnaryMethod> = AgentServiceDefinition[M]['requestSerialize'] extends (value: infer Req) => Buffer ? Req : never;
type ResponseOf<M extends UnaryMethod> = AgentServiceDefinition[M]['responseDeserialize'] extends (bytes: Buffer) => infer Res
  ? Res
  : never;

/** A unary call as a promise, bounded by a deadline; request and response typed from agent.proto. */
export function unary<M extends UnaryMethod>(
  client: AgentServiceClient,
  method: M,
  request: RequestOf<M>,
  timeoutMs: number,
): Promise<ResponseOf<M>> {
  const service = loadMooringProto().service('AgentService');
  // Spelled out per method so tsc follows M from the name to its request and response types.
  const definitions: { [K in UnaryMethod]: grpc.MethodDefinition<RequestOf<K>, ResponseOf<K>> } = {
    Enroll: service.Enroll,
    Renew: service.Renew,
  };
  const definition = definitions[method];
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest<RequestOf<M>, ResponseOf<M>>(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      request,
      new grpc.Metadata(),
      { deadline: Date.now() + timeoutMs },
      (err, res) => {
        if (err) reject(err);
        else resolve(res as ResponseOf<M>); // set whenever err is null
      },
    );
  });
}
