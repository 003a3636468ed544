// How large a request each method accepts, enforced before the request is decoded. grpc-js only
// has one server-wide limit (grpc.max_receive_message_length, checked against the message's
// length prefix before its body is buffered): that is set to the largest limit below. Each
// method's smaller limit is applied by wrapping its requestDeserialize: a body over the limit is
// not decoded but stands in as an OversizeRequest, which call-guard.ts answers with
// RESOURCE_EXHAUSTED naming the limit (a throwing deserializer would be answered INTERNAL).
import type * as grpc from '@grpc/grpc-js';

const KiB = 1024;

/** Ordinary API requests: names, ids, a few tags or annotations, one port with its CA certificate. */
export const DEFAULT_REQUEST_LIMIT = 64 * KiB;

/** Methods that need something else than the default, by gRPC path. */
const METHOD_LIMITS: Readonly<Record<string, number>> = {
  // A token and an RSA CSR of at most 8 kB (pki/csr-reader.ts), with room for the framing.
  '/mooring.v1.AgentService/Enroll': 16 * KiB,
  '/mooring.v1.AgentService/Renew': 16 * KiB,
  // Per message: a hello carries the inventory and report (interfaces, VFs, LXD instances).
  '/mooring.v1.AgentService/Session': 4096 * KiB,
  // A machine with all its ports (each with an SSH key and an OVSDB CA certificate).
  '/mooring.v1.MachineService/EnlistMachine': 256 * KiB,
  // Every PF's desired VFs with their settings.
  '/mooring.v1.AgentAdminService/SetSriov': 256 * KiB,
  // Per message of the upload stream: up to 1 MiB of image bytes with its framing (moorctl sends 512 KiB).
  '/mooring.v1.ImageService/AddImage': 1028 * KiB,
};

/** The server-wide bound: no method accepts more. */
export const MAX_REQUEST_LIMIT = Math.max(DEFAULT_REQUEST_LIMIT, ...Object.values(METHOD_LIMITS));

export function requestLimit(path: string): number {
  return METHOD_LIMITS[path] ?? DEFAULT_REQUEST_LIMIT;
}

/** A request body over its method's limit, in place of the decoded message. */
export class OversizeRequest {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {}
}

/** The service definition with every method's request decoder refusing bodies over its limit. */
export function withRequestLimits(definition: grpc.ServiceDefinition): grpc.ServiceDefinition {
  const limited: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(definition as Record<string, grpc.MethodDefinition<unknown, unknown>>)) {
    const limit = requestLimit(method.path);
    const decode = method.requestDeserialize;
    limited[name] = {
      ...method,
      requestDeserialize: (body: Buffer) => (body.length > limit ? new OversizeRequest(body.length, limit) : decode(body)),
    };
  }
  return limited;
}
