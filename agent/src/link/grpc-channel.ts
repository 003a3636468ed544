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

/**
 * A client for address (HOST:PORT, the host a name or an IP address). TLS sends no ServerName for
 * an IP address (RFC 6066; Node warns otherwise) and still checks the address against the
 * certificate's IP SANs: see proto/shared/tls-channel-credentials.ts.
 */
export function agentClient(address: string, caPem: string, creds?: Credentials): AgentServiceClient {
  const Ctor = loadMooringProto().client('AgentService');
  const channelCreds = new TlsChannelCredentials({ caPem, client: creds ? { keyPem: creds.keyPem, certPem: creds.certPem } : undefined });
  return new Ctor(address, channelCreds, CHANNEL_OPTIONS);
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
