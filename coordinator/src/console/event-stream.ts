// The console's GET /api/events: EventService.WatchEvents, the very handler gRPC serves (its
// visibility rules, its token watch, its EventWatch with the bounded queue), written out as
// Server-Sent Events. Each event is one frame:
//
//   id: <seq>
//   event: mooring
//   data: <Event as proto3 JSON>
//
// so that a browser's EventSource resumes after a drop by sending Last-Event-ID (WHATWG HTML
// §9.2: the last "id:" seen), from which the watch replays. Backpressure runs end to end: the
// socket -> @hono/node-server reads the body stream only once the socket drained -> this
// ReadableStream pulls -> the sink's write completes -> EventWatch writes more. A reader slower
// than the events fills EventWatch's queue (WATCH_QUEUE_LIMIT) and is sent an error frame
// (RESOURCE_EXHAUSTED naming the seq to resume from), then the stream ends. An ended session or
// token ends it too, with an UNAUTHENTICATED error frame. A browser resuming from an event the
// retention has pruned since is started at the present, after a "resync" frame (the page reloads).
import { Writable } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../logger.js';
import type { ProtoJson } from './proto-json.js';
import { bearerMetadata, statusName } from './rpc-dispatch.js';

/** Frames the body stream holds before it stops pulling from the sink. */
const STREAM_FRAMES = 32;
/** Events the sink takes before its write() answers false (grpc-js buffers 16 messages likewise). */
const SINK_EVENTS = 16;
/** A comment line this often keeps proxies and idle timers from closing a quiet stream. */
export const KEEPALIVE_MS = 20_000;
/** EventSource's reconnection delay, sent once at the start (the "retry:" field). */
const RETRY_MS = 3000;

const EVENT_TYPE = 'mooring.v1.Event';
const REQUEST_TYPE = 'mooring.v1.WatchEventsRequest';

export interface EventStreamSource {
  readonly handler: grpc.handleServerStreamingCall<unknown, unknown>;
  readonly definition: grpc.MethodDefinition<unknown, unknown>;
  readonly json: ProtoJson;
  readonly log: Logger;
}

export interface EventStreamRequest {
  readonly token: string;
  /** Replay events after this seq first (0: the whole log the caller may see). */
  readonly sinceSeq: number;
  /** The session's end: the stream ends with it. */
  readonly ended: AbortSignal;
  /** Why the page missed events (its resume point was pruned): sent first, as a "resync" frame. */
  readonly resync?: string;
}

const encoder = new TextEncoder();

/** One SSE frame per event; an "error" frame carries {code, message} as the JSON API does. */
function eventFrame(json: Record<string, unknown>): string {
  return `id: ${String(json['seq'])}\nevent: mooring\ndata: ${JSON.stringify(json)}\n\n`;
}

function errorFrame(code: grpc.status, message: string): string {
  return `event: error\ndata: ${JSON.stringify({ code: statusName(code), message })}\n\n`;
}

type OutputState = { type: 'open'; waiting: (() => void) | null } | { type: 'closed' };

/** The body stream's writing side: frames in, a pull releases a held writer, close() ends it. */
class FrameOutput {
  private state: OutputState = { type: 'open', waiting: null };
  private controller: ReadableStreamDefaultController<Uint8Array> | null = null;

  attach(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.controller = controller;
  }

  /** Queues `frame`; `done` runs once the stream has room for more (now, or at the next pull). */
  push(frame: string, done: () => void): void {
    if (this.state.type === 'closed' || !this.controller) return done();
    this.controller.enqueue(encoder.encode(frame));
    if ((this.controller.desiredSize ?? 0) > 0) done();
    else this.state = { type: 'open', waiting: done };
  }

  /** A frame only if there is room (keepalives are never worth buffering). */
  offer(frame: string): void {
    if (this.state.type === 'open' && this.controller && (this.controller.desiredSize ?? 0) > 0)
      this.controller.enqueue(encoder.encode(frame));
  }

  pulled(): void {
    if (this.state.type !== 'open' || !this.state.waiting) return;
    const waiting = this.state.waiting;
    this.state = { type: 'open', waiting: null };
    waiting();
  }

  isClosed(): boolean {
    return this.state.type === 'closed';
  }

  /** Ends the body after `last` (if given); later pushes are dropped. `cancelled`: the reader is gone already. */
  close(last: string | undefined, cancelled: boolean): void {
    if (this.state.type === 'closed') return;
    const waiting = this.state.waiting;
    this.state = { type: 'closed' };
    waiting?.(); // a held write completes (into nothing), so the sink is not left mid-write
    if (!this.controller || cancelled) return;
    if (last) this.controller.enqueue(encoder.encode(last));
    this.controller.close();
  }
}

/**
 * The writable side WatchEvents writes its Event messages to, standing in for the grpc-js
 * ServerWritableStream: write/end/drain from Writable, plus the call fields the handler reads
 * (request, metadata, getDeadline) and the 'cancelled' event it listens for.
 */
class SseSink extends Writable {
  constructor(
    readonly request: unknown,
    readonly metadata: grpc.Metadata,
    private readonly frame: (event: unknown) => string,
    private readonly output: FrameOutput,
  ) {
    super({ objectMode: true, highWaterMark: SINK_EVENTS });
  }

  getDeadline(): grpc.Deadline {
    return Infinity;
  }

  override _write(event: unknown, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    let text: string;
    try {
      text = this.frame(event);
    } catch (error) {
      return done(error instanceof Error ? error : new Error(String(error)));
    }
    this.output.push(text, () => done());
  }
}

/** Runs WatchEvents for `request` and returns the SSE body. */
export function openEventStream(source: EventStreamSource, request: EventStreamRequest): ReadableStream<Uint8Array> {
  const { definition, json, log } = source;
  const output = new FrameOutput();
  const watchRequest = definition.requestDeserialize(Buffer.from(json.toBinary(REQUEST_TYPE, { since_seq: String(request.sinceSeq) })));
  const frame = (event: unknown): string => eventFrame(json.fromBinary(EVENT_TYPE, definition.responseSerialize(event)));
  const sink = new SseSink(watchRequest, bearerMetadata(request.token), frame, output);
  let keepalive: NodeJS.Timeout | undefined;

  const stop = (last?: string, cancelled = false): void => {
    if (output.isClosed()) return;
    clearInterval(keepalive);
    request.ended.removeEventListener('abort', onSessionEnd);
    output.close(last, cancelled);
    // The handler's own end: its 'cancelled' listener aborts the watch and stops its token watch.
    sink.emit('cancelled');
    sink.destroy();
  };
  const onSessionEnd = (): void => {
    const why = typeof request.ended.reason === 'string' ? request.ended.reason : 'signed out';
    stop(errorFrame(grpc.status.UNAUTHENTICATED, `session ended: ${why}`));
  };
  // The handler ends a stream by emitting 'error' with a status (call-handler.ts StreamControl.fail);
  // a frame that could not be written is an Error of the sink itself.
  sink.on('error', (error: Partial<grpc.StatusObject> | Error) => {
    if ('code' in error && typeof error.code === 'number') return stop(errorFrame(error.code, error.details ?? statusName(error.code)));
    log.error({ err: error }, 'console event stream failed');
    stop(errorFrame(grpc.status.INTERNAL, 'internal error (logged by the coordinator)'));
  });
  sink.on('finish', () => stop());

  return new ReadableStream<Uint8Array>(
    {
      start: (controller) => {
        output.attach(controller);
        controller.enqueue(encoder.encode(`retry: ${RETRY_MS}\n\n`));
        if (request.resync !== undefined)
          controller.enqueue(encoder.encode(`event: resync\ndata: ${JSON.stringify({ message: request.resync })}\n\n`));
        if (request.ended.aborted) return onSessionEnd();
        request.ended.addEventListener('abort', onSessionEnd, { once: true });
        keepalive = setInterval(() => output.offer(': keepalive\n\n'), KEEPALIVE_MS);
        keepalive.unref();
        source.handler(sink as unknown as grpc.ServerWritableStream<unknown, unknown>);
      },
      pull: () => output.pulled(),
      // The HTTP client went away.
      cancel: () => stop(undefined, true),
    },
    new CountQueuingStrategy({ highWaterMark: STREAM_FRAMES }),
  );
}
