// What the floor's server (floor-server.ts) and its callers (floor-client.ts) share: the raw-byte
// gRPC service, the messages' sizes and tags, and the server's report.
import type * as grpc from '@grpc/grpc-js';

/** What the server reports when done. */
export interface FloorServerResult {
  readonly writes: number;
  readonly events: number;
  readonly bmcCommands: number;
  readonly commands: number;
  readonly sessions: number;
  /** Writes the script makes (the server waits for them, within a bound). */
  readonly expectedWrites: number;
  /** The server's CPU from `start` to done: all its threads, and its main thread (/proc, as the coordinator's). */
  readonly cpuSeconds: number;
  readonly mainThreadCpuSeconds: number;
  readonly eventLoopP99Ms: number;
}

export const RECORD_BYTES = 512;
export const EVENT_BYTES = 384;
export const WELCOME_BYTES = 96;
export const COMMAND_BYTES = 192;
export const DEPLOY_REPLY_BYTES = 160;

/** Message tags (first byte) on the Session stream. */
export const TAG = { hello: 1, report: 2, result: 3, welcome: 1, command: 2 } as const;

/** A method of the floor's service whose messages are raw bytes (no codec). */
function rawMethod(name: string, requestStream: boolean, responseStream: boolean): grpc.MethodDefinition<Buffer, Buffer> {
  const same = (b: Buffer): Buffer => b;
  return {
    path: `/floor.Floor/${name}`,
    requestStream,
    responseStream,
    requestSerialize: same,
    requestDeserialize: same,
    responseSerialize: same,
    responseDeserialize: same,
  };
}

export const FLOOR_SERVICE: grpc.ServiceDefinition = {
  Deploy: rawMethod('Deploy', false, false),
  Session: rawMethod('Session', true, true),
  Watch: rawMethod('Watch', false, true),
};

/** A client of the floor's service, as grpc.makeGenericClientConstructor(FLOOR_SERVICE) builds it. */
export interface FloorClient extends grpc.Client {
  Deploy(request: Buffer, metadata: grpc.Metadata, callback: (error: grpc.ServiceError | null) => void): grpc.ClientUnaryCall;
  Session(): grpc.ClientDuplexStream<Buffer, Buffer>;
  Watch(request: Buffer): grpc.ClientReadableStream<Buffer>;
}

/** A buffer of `bytes` whose first byte is `tag` and next four the machine's number. */
export function message(tag: number, machine: number, bytes: number): Buffer {
  const b = Buffer.alloc(bytes, 0x61);
  b.writeUInt8(tag, 0);
  b.writeUInt32BE(machine, 1);
  return b;
}
