// gRPC clients for the coordinator's AgentService: server-authenticated TLS for enrollment (the
// agent has no certificate yet), mutual TLS with the agent's certificate for everything else.

import * as grpc from '@grpc/grpc-js';
import { loadMooringProto } from '../../../proto/loader.js';
import type { Credentials } from './credentials.js';

type Unary = (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: grpc.requestCallback<unknown>) => grpc.ClientUnaryCall;

export type AgentServiceClient = grpc.Client & {
  Enroll: Unary;
  Renew: Unary;
  Session: (md: grpc.Metadata, opts: grpc.CallOptions) => grpc.ClientDuplexStream<unknown, unknown>;
};

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // Reconnects are ours (capped, jittered backoff in the session); keep grpc's own short.
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2000,
};

export function agentClient(address: string, caPem: string, creds?: Credentials): AgentServiceClient {
  const Ctor = loadMooringProto().client('AgentService');
  const channelCreds = creds
    ? grpc.credentials.createSsl(Buffer.from(caPem), Buffer.from(creds.keyPem), Buffer.from(creds.certPem))
    : grpc.credentials.createSsl(Buffer.from(caPem));
  return new Ctor(address, channelCreds, CHANNEL_OPTIONS) as unknown as AgentServiceClient;
}

/** PERMISSION_DENIED or UNAUTHENTICATED: the coordinator refuses this agent (revoked, or not known). */
export function isRefusal(code: grpc.status): boolean {
  return code === grpc.status.PERMISSION_DENIED || code === grpc.status.UNAUTHENTICATED;
}

/** A unary call as a promise, bounded by a deadline. */
export function unary<Res>(
  client: AgentServiceClient,
  method: 'Enroll' | 'Renew',
  request: unknown,
  timeoutMs: number,
): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    client[method](request, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) reject(err);
      else resolve(res as Res);
    });
  });
}
