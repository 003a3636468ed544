// One WatchEvents stream: replay the log from a seq, then follow live events, at the pace the
// client reads. The transport's backpressure is respected: once write() answers false nothing
// more is written until 'drain'; live events wait meanwhile in a bounded per-stream queue, and a
// client that lets it fill is cut off with RESOURCE_EXHAUSTED naming the event to resume from.
//
// The bound is a count of events, WATCH_QUEUE_LIMIT. The queue holds references to the log's
// event objects, which every stream shares (EventLog publishes one object to all listeners), so a
// stall costs each stream at most LIMIT references, and all streams together at most LIMIT
// distinct events, whatever their number. The wire copies exist only for what the transport has
// taken (grpc-js's write buffer, 16 messages, then the HTTP/2 flow-control window). The count is
// generous because one commit can publish a burst (lmdb-js batches the writes of an event turn):
// a client that reads must never be cut off by a burst it had no chance to drain.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { ClientTooSlowError } from '../events/errors.js';
import type { CoordinatorEvent, EventLog } from '../events/event-log.js';
import type { StreamControl } from './call-handler.js';
import { eventToWire } from './wire.js';

/** Live events a stream may hold while its client is not reading. */
export const WATCH_QUEUE_LIMIT = 10_000;

/** replaying: sending stored events; live: following, writable; blocked: waiting for 'drain'. */
type WatchState = { type: 'replaying' } | { type: 'live' } | { type: 'blocked' } | { type: 'ended' };

export interface EventWatchOptions {
  readonly events: EventLog;
  /** The call's writable side (grpc-js ServerWritableStream). */
  readonly sink: Pick<Writable, 'write' | 'end' | 'once' | 'off'>;
  readonly control: StreamControl;
  /** Whether the caller may see `event` (evaluated when the event is published or replayed). */
  readonly visible: (event: CoordinatorEvent) => boolean;
  readonly sinceSeq: number;
  /** false: end after the replay. */
  readonly follow: boolean;
  readonly limit?: number;
}

export class EventWatch {
  private state: WatchState = { type: 'replaying' };
  /** Live events waiting for 'drain': queue[head..] (an index, so draining is not quadratic). */
  private queue: CoordinatorEvent[] = [];
  private head = 0;
  /** The last seq sent or passed over (invisible): nothing at or below it is sent again. */
  private lastSeq: number;
  private unsubscribe: () => void = () => undefined;
  private readonly limit: number;
  private readonly onDrain = (): void => this.drain();

  constructor(private readonly options: EventWatchOptions) {
    this.lastSeq = options.sinceSeq;
    this.limit = options.limit ?? WATCH_QUEUE_LIMIT;
  }

  /** Replays, then (when following) subscribes; resolves once following or ended. */
  async run(): Promise<void> {
    const { events, sink, control } = this.options;
    if (control.signal.aborted) return this.close();
    control.signal.addEventListener('abort', () => this.close(), { once: true });
    // Live events are not held during the replay: the log has them. A pass over the log that
    // finds nothing new is the catch-up point, and subscribing right after it, synchronously,
    // misses nothing: an event is readable from the log before it is published, so one published
    // later than that pass was either read by it (and is skipped by seq) or comes to the listener.
    for (let found = true; found;) {
      found = false;
      for (const event of events.since(this.lastSeq)) {
        found = true;
        if (this.isEnded()) return;
        this.lastSeq = event.seq;
        if (!this.options.visible(event) || sink.write(eventToWire(event))) continue;
        try {
          await once(sink as Writable, 'drain', { signal: control.signal });
        } catch {
          return; // the stream is over (aborted); close() has freed it
        }
        if (this.isEnded()) return;
      }
    }
    if (this.isEnded()) return;
    if (!this.options.follow) {
      this.transition(['replaying'], { type: 'ended' });
      sink.end();
      return;
    }
    this.unsubscribe = events.subscribe((event) => this.publish(event));
    this.transition(['replaying'], { type: 'live' });
  }

  /** A method, not a field test: close() may run during any await of run(). */
  private isEnded(): boolean {
    return this.state.type === 'ended';
  }

  /** Events waiting in the queue. */
  waiting(): number {
    return this.queue.length - this.head;
  }

  private publish(event: CoordinatorEvent): void {
    if (this.state.type === 'ended' || event.seq <= this.lastSeq) return;
    this.lastSeq = event.seq;
    let visible: boolean;
    try {
      visible = this.options.visible(event);
    } catch (error) {
      // Called from the log's publish loop: never throw into it. (The caller's token may have
      // ended in this same commit; the stream ends with that error.)
      this.options.control.fail(error);
      return this.close();
    }
    if (!visible) return;
    if (this.state.type === 'blocked') {
      if (this.waiting() >= this.limit) return this.overflow();
      this.queue.push(event);
      return;
    }
    if (!this.options.sink.write(eventToWire(event))) this.block();
  }

  private block(): void {
    this.transition(['live'], { type: 'blocked' });
    this.options.sink.once('drain', this.onDrain);
  }

  private drain(): void {
    if (this.state.type !== 'blocked') return;
    this.transition(['blocked'], { type: 'live' });
    while (this.head < this.queue.length) {
      const event = this.queue[this.head++] as CoordinatorEvent;
      if (!this.options.sink.write(eventToWire(event))) return this.compactThenBlock();
    }
    this.queue = [];
    this.head = 0;
  }

  private compactThenBlock(): void {
    // Drop the sent half only now and then: slicing at every block would copy the queue over and
    // over while a long backlog drains 16 messages at a time.
    if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.block();
  }

  /** More than `limit` events waiting: free them and end the stream, naming where to resume. */
  private overflow(): void {
    const resumeFrom = (this.queue[this.head] as CoordinatorEvent).seq;
    this.options.control.fail(new ClientTooSlowError(resumeFrom, this.limit));
    this.close();
  }

  /** Frees everything the stream holds: the subscription, the queue, the drain listener. */
  private close(): void {
    if (this.state.type === 'ended') return;
    this.state = { type: 'ended' };
    this.unsubscribe();
    this.options.sink.off('drain', this.onDrain);
    this.queue = [];
    this.head = 0;
  }

  private transition(from: WatchState['type'][], to: WatchState): void {
    if (!from.includes(this.state.type)) throw new Error(`event watch is ${this.state.type}: cannot become ${to.type}`);
    this.state = to;
  }
}
