// A typed promise client for the coordinator's gRPC API: TLS against the coordinator's CA, the
// bearer token as call credentials, a deadline on every call. moorctl, the tests and the
// benchmark all use it.
import * as grpc from '@grpc/grpc-js';
import { loadMooringProto, type MethodName, type ServiceDefinitionOf, type ServiceName } from '../../../proto/loader.js';
import type { Event__Output, WatchEventsRequest } from '../../../proto/generated/index.js';

/** The services this client calls: the API services and agent administration (not the agent link). */
export type ClientServiceName = ServiceName | 'AgentAdminService';

type MethodOf<S extends ClientServiceName, M extends MethodName<S>> = ServiceDefinitionOf<S>[M];

/** What a caller may send: the generated input type (every field optional, defaults filled in on the wire). */
export type RequestOf<S extends ClientServiceName, M extends MethodName<S>> = MethodOf<S, M>['requestSerialize'] extends (
  value: infer Req,
) => Buffer
  ? Req
  : never;

/** What the call resolves to: the generated __Output type, as the loader decodes it. */
export type ResponseOf<S extends ClientServiceName, M extends MethodName<S>> = MethodOf<S, M>['responseDeserialize'] extends (
  bytes: Buffer,
) => infer Res
  ? Res
  : never;

export interface ClientOptions {
  /** HOST:PORT */
  readonly address: string;
  readonly caPem: string;
  readonly token: string;
  /** Per-call deadline; default 30 s. */
  readonly timeoutMs?: number;
  /** Open a connection of its own instead of sharing one with other clients of the address. */
  readonly ownConnection?: boolean;
}

export class CoordinatorClient {
  // One grpc.Client (one channel) for every service: calls name their method by path.
  private readonly channel: grpc.Client;
  private readonly timeoutMs: number;
  private readonly metadata = new grpc.Metadata();

  constructor(private readonly options: ClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    // The token travels as per-call metadata built once (cheaper than call credentials, which
    // run a generator for every call); TLS keeps it confidential.
    this.metadata.set('authorization', `Bearer ${options.token}`);
    const credentials = grpc.credentials.createSsl(Buffer.from(options.caPem));
    // Lists of a large fleet pass grpc-js's default 4 MiB (10000 agents are about 5 MB).
    const channelOptions: grpc.ChannelOptions = {
      'grpc.enable_channelz': 0,
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      ...(options.ownConnection ? { 'grpc.use_local_subchannel_pool': 1 } : {}),
    };
    this.channel = new grpc.Client(options.address, credentials, channelOptions);
  }

  /**
   * One unary call: `client.call('MachineService', 'GetMachine', { machine })`. The request and
   * response types are the generated ones of that method, so tsc checks both against the .proto.
   */
  call<S extends ClientServiceName, M extends MethodName<S>>(
    service: S,
    method: M,
    request: RequestOf<S, M>,
    timeoutMs = this.timeoutMs,
  ): Promise<ResponseOf<S, M>> {
    const definition: MethodOf<S, M> = loadMooringProto().service(service)[method];
    return new Promise((resolve, reject) => {
      this.channel.makeUnaryRequest<RequestOf<S, M>, ResponseOf<S, M>>(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        request,
        this.metadata.clone(),
        { deadline: Date.now() + timeoutMs },
        (error, response) => {
          if (error) reject(error);
          else resolve(response as ResponseOf<S, M>); // set whenever error is null
        },
      );
    });
  }

  /** Streams events (replay from sinceSeq, then follow unless noFollow); cancel() ends it. */
  watchEvents(request: WatchEventsRequest): { events: AsyncIterable<Event__Output>; cancel: () => void } {
    const definition = loadMooringProto().service('EventService').WatchEvents;
    const stream = this.channel.makeServerStreamRequest(
      definition.path,
      definition.requestSerialize,
      definition.responseDeserialize,
      request,
      this.metadata.clone(),
    );
    return { events: stream, cancel: () => stream.cancel() };
  }

  /**
   * One client-streaming call: writes `messages` in order (waiting while the channel's buffer is
   * full), half-closes, and resolves with the answer. A write that fails rejects with its error.
   */
  clientStream<S extends ClientServiceName, M extends MethodName<S>>(
    service: S,
    method: M,
    messages: AsyncIterable<RequestOf<S, M>> | Iterable<RequestOf<S, M>>,
    timeoutMs = this.timeoutMs,
  ): Promise<ResponseOf<S, M>> {
    const definition: MethodOf<S, M> = loadMooringProto().service(service)[method];
    return new Promise((resolve, reject) => {
      const call = this.channel.makeClientStreamRequest<RequestOf<S, M>, ResponseOf<S, M>>(
        definition.path,
        definition.requestSerialize,
        definition.responseDeserialize,
        this.metadata.clone(),
        { deadline: Date.now() + timeoutMs },
        (error, response) => {
          if (error) reject(error);
          else resolve(response as ResponseOf<S, M>);
        },
      );
      void (async () => {
        try {
          for await (const message of messages) {
            if (!call.write(message)) await new Promise<void>((drained) => call.once('drain', drained));
          }
          call.end();
        } catch (error) {
          call.cancel();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      })();
    });
  }

  /**
   * Resolves once the connection is up (TLS done); rejects as soon as an attempt fails (refused,
   * unreachable, TLS refused) or when `deadlineMs` pass first.
   */
  ready(deadlineMs: number): Promise<void> {
    const channel = this.channel.getChannel();
    const deadline = Date.now() + deadlineMs;
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const state = channel.getConnectivityState(true);
        if (state === grpc.connectivityState.READY) return resolve();
        if (state === grpc.connectivityState.TRANSIENT_FAILURE)
          return reject(new Error('the connection failed (refused, unreachable or TLS refused)'));
        if (state === grpc.connectivityState.SHUTDOWN) return reject(new Error('the client is closed'));
        channel.watchConnectivityState(state, deadline, (error) =>
          error ? reject(new Error(`not connected within ${deadlineMs} ms`)) : check(),
        );
      };
      check();
    });
  }

  close(): void {
    this.channel.close();
  }

  get address(): string {
    return this.options.address;
  }
}

export function isServiceError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && typeof (error as Partial<grpc.ServiceError>).code === 'number';
}

export function statusName(code: number): string {
  return grpc.status[code] ?? String(code);
}
