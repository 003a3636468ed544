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

const raw = { serialize: (b: Buffer): Buffer => b, deserialize: (b: Buffer): Buffer => b };
export const FLOOR_SERVICE: grpc.ServiceDefinition = {
  Deploy: {
    path: '/floor.Floor/Deploy',
    requestStream: false,
    responseStream: false,
    requestSerialize: raw.serialize,
    requestDeserialize: raw.deserialize,
    responseSerialize: raw.serialize,
    responseDeserialize: raw.deserialize,
  },
  Session: {
    path: '/floor.Floor/Session',
    requestStream: true,
    responseStream: true,
    requestSerialize: raw.serialize,
    requestDeserialize: raw.deserialize,
    responseSerialize: raw.serialize,
    responseDeserialize: raw.deserialize,
  },
  Watch: {
    path: '/floor.Floor/Watch',
    requestStream: false,
    responseStream: true,
    requestSerialize: raw.serialize,
    requestDeserialize: raw.deserialize,
    responseSerialize: raw.serialize,
    responseDeserialize: raw.deserialize,
  },
};

/** A buffer of `bytes` whose first byte is `tag` and next four the machine's number. */
export function message(tag: number, machine: number, bytes: number): Buffer {
  const b = Buffer.alloc(bytes, 0x61);
  b.writeUInt8(tag, 0);
  b.writeUInt32BE(machine, 1);
  return b;
}
