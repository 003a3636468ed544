// The console's /api/rpc/<Service>/<Method>: a proto3 JSON request handed to the very handler the
// gRPC server runs for that method (api/*-service.ts, wrapped by call-handler.ts unary(), which
// authenticates the token, validates, checks visibility and roles and maps errors to a status).
// Nothing of the API is re-implemented here: the JSON is encoded to the method's protobuf bytes,
// decoded by the gRPC definition's own deserializer (so the handler sees exactly what a gRPC call
// would give it), and the handler's reply goes through the definition's serializer and back out
// as proto3 JSON. The one thing done here is what grpc-js does before a handler: the method's
// request size limit (api/request-limits.ts), checked on the encoded message.
import * as grpc from '@grpc/grpc-js';
import { loadMooringProto, type ServiceHandlers } from '../../../proto/loader.js';
import { requestLimit } from '../api/request-limits.js';
import type { Logger } from '../logger.js';
import { ProtoJsonError } from './errors.js';
import type { ProtoJson } from './proto-json.js';

/** The services the console may call: the API a person uses (not the agents' link). */
export const CONSOLE_SERVICES = [
  'MachineService',
  'PoolService',
  'TenancyService',
  'EventService',
  'PortService',
  'DeploymentService',
  'VmHostService',
  'NetworkService',
  'SecurityGroupService',
  'AgentAdminService',
] as const;

export type ConsoleServiceName = (typeof CONSOLE_SERVICES)[number];
export type ConsoleHandlers = Pick<ServiceHandlers, ConsoleServiceName>;

/** A call's answer: the reply as proto3 JSON, or a gRPC status code with its message. */
export type RpcOutcome = { type: 'ok'; body: Record<string, unknown> } | { type: 'failed'; code: grpc.status; message: string };

/** A console call of the API method at `path` (/mooring.v1.Service/Method) ended with `code` after `seconds`. */
export type RpcFinished = (path: string, code: grpc.status, seconds: number) => void;

interface UnaryMethod {
  readonly path: string;
  readonly requestType: string;
  readonly responseType: string;
  readonly definition: grpc.MethodDefinition<unknown, unknown>;
  readonly handler: grpc.handleUnaryCall<unknown, unknown>;
}

/** The gRPC status name ("NOT_FOUND") of a code. */
export function statusName(code: grpc.status): string {
  return grpc.status[code] ?? 'UNKNOWN';
}

function failed(code: grpc.status, message: string): RpcOutcome {
  return { type: 'failed', code, message };
}

/** The bearer token as call-handler.ts reads it from a gRPC call's metadata. */
export function bearerMetadata(token: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

export class RpcDispatcher {
  private readonly unary = new Map<string, UnaryMethod>();
  /** Streaming methods by "Service/Method", refused with a pointer to what serves them. */
  private readonly streaming = new Set<string>();

  constructor(
    handlers: Partial<ConsoleHandlers>,
    private readonly json: ProtoJson,
    private readonly log: Logger,
    private readonly finished: RpcFinished = () => undefined,
  ) {
    const proto = loadMooringProto();
    for (const service of CONSOLE_SERVICES) {
      const implementation = handlers[service] as Record<string, unknown> | undefined;
      if (!implementation) continue;
      const definition = proto.service(service) as unknown as Record<string, grpc.MethodDefinition<unknown, unknown>>;
      for (const method of json.methods(`mooring.v1.${service}`)) {
        const key = `${service}/${method.name}`;
        const handler = implementation[method.name];
        const methodDefinition = definition[method.name];
        if (!handler || !methodDefinition) continue;
        if (method.streaming) {
          this.streaming.add(key);
          continue;
        }
        this.unary.set(key, {
          path: methodDefinition.path,
          requestType: method.requestType,
          responseType: method.responseType,
          definition: methodDefinition,
          handler: handler as grpc.handleUnaryCall<unknown, unknown>,
        });
      }
    }
  }

  /** Whether Service/Method is a unary method the console serves. */
  has(service: string, method: string): boolean {
    return this.unary.has(`${service}/${method}`);
  }

  /**
   * Runs Service/Method as `token`'s holder with the proto3 JSON `body`. `signal` aborts when the
   * HTTP client goes away (the handler sees the call cancelled, as with gRPC).
   */
  async call(service: string, method: string, token: string, body: unknown, signal: AbortSignal): Promise<RpcOutcome> {
    const key = `${service}/${method}`;
    const target = this.unary.get(key);
    if (!target) {
      if (this.streaming.has(key))
        return failed(grpc.status.UNIMPLEMENTED, `${key} streams its answer: the console serves it at /api/events`);
      return failed(grpc.status.UNIMPLEMENTED, `unknown method ${key} (a unary method of one of: ${CONSOLE_SERVICES.join(', ')})`);
    }
    // Counted only for methods the API has (like grpc-js, which runs interceptors only for
    // registered methods), so a client cannot mint label values by inventing paths.
    const started = performance.now();
    const outcome = await this.run(key, target, token, body, signal);
    this.finished(target.path, outcome.type === 'ok' ? grpc.status.OK : outcome.code, (performance.now() - started) / 1000);
    return outcome;
  }

  private async run(key: string, target: UnaryMethod, token: string, body: unknown, signal: AbortSignal): Promise<RpcOutcome> {
    let bytes: Uint8Array;
    try {
      bytes = this.json.toBinary(target.requestType, body);
    } catch (error) {
      if (error instanceof ProtoJsonError) return failed(grpc.status.INVALID_ARGUMENT, `${target.requestType}: ${error.message}`);
      throw error;
    }
    const limit = requestLimit(target.path);
    if (bytes.length > limit) {
      return failed(grpc.status.RESOURCE_EXHAUSTED, `request of ${bytes.length} bytes is larger than ${key} accepts (${limit} bytes)`);
    }
    const request = target.definition.requestDeserialize(Buffer.from(bytes));
    const reply = await invoke(target.handler, request, token, signal);
    if (reply.type === 'failed') return reply;
    try {
      const encoded = target.definition.responseSerialize(reply.value);
      return { type: 'ok', body: this.json.fromBinary(target.responseType, encoded) };
    } catch (error) {
      this.log.error({ err: error, method: key }, 'encoding the reply as JSON failed');
      return failed(grpc.status.INTERNAL, 'internal error (logged by the coordinator)');
    }
  }
}

/**
 * Calls a grpc-js unary handler as grpc-js would: with the decoded request, the metadata, no
 * deadline, and `cancelled` true once the HTTP client has gone. (The handler reads no other part
 * of the call: call-handler.ts unary().)
 */
function invoke(
  handler: grpc.handleUnaryCall<unknown, unknown>,
  request: unknown,
  token: string,
  signal: AbortSignal,
): Promise<{ type: 'ok'; value: unknown } | { type: 'failed'; code: grpc.status; message: string }> {
  const call = {
    request,
    metadata: bearerMetadata(token),
    getDeadline: (): grpc.Deadline => Infinity,
    get cancelled(): boolean {
      return signal.aborted;
    },
  };
  return new Promise((resolve) => {
    handler(call as unknown as grpc.ServerUnaryCall<unknown, unknown>, (error, value) => {
      if (error) {
        const code = typeof error.code === 'number' ? error.code : grpc.status.UNKNOWN;
        resolve({ type: 'failed', code, message: error.details ?? ('message' in error ? error.message : statusName(code)) });
      } else resolve({ type: 'ok', value });
    });
  });
}
