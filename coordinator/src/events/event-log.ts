// The event log: every state change, who made it, when and why, stored in the same transaction
// as the change itself and published to watchers once that transaction has committed.
import type { Clock } from '../clock.js';
import type { StoreChangeFeed } from '../store/store-backend.js';
import type { WriteScope } from '../store/store.js';
import { EVENTS_PRUNED_THROUGH, type Tables } from '../store/tables.js';
import { EventsPrunedError } from './errors.js';

export interface CoordinatorEvent {
  readonly seq: number;
  /** Milliseconds since the Unix epoch. */
  readonly time: number;
  readonly actor: string;
  readonly kind: string;
  readonly machineId: string | null;
  readonly fromStatus: string | null;
  readonly toStatus: string | null;
  readonly why: string;
  readonly details: Readonly<Record<string, string>>;
  /**
   * Who owned the machine while this happened (before and after the change): a member is not
   * shown events of a stretch when someone else held the machine, even once it is free again.
   * Kept in the log, never sent on the wire. Absent in events recorded before it existed.
   */
  readonly heldBy?: readonly string[];
}

export type NewEvent = Omit<CoordinatorEvent, 'seq' | 'time' | 'machineId' | 'fromStatus' | 'toStatus' | 'details' | 'heldBy'> &
  Partial<Pick<CoordinatorEvent, 'machineId' | 'fromStatus' | 'toStatus' | 'details'>> & {
    /** The machine's owners before and after the change; read from the machine record when absent. */
    readonly heldBy?: readonly (string | null)[];
  };

export type EventListener = (event: CoordinatorEvent) => void;

export class EventLog {
  private readonly listeners = new Set<EventListener>();
  /** Set while following a shared store's change feed: it, not this coordinator's commits, publishes. */
  private feed: { readonly stop: () => void; published: number } | null = null;
  /** The seq this log last appended: a hint for the next append, checked against the store before use. */
  private appended: number | null = null;

  constructor(
    private readonly tables: Tables,
    private readonly clock: Clock,
  ) {}

  /**
   * Records `event` in the current write transaction; watchers see it after the commit. On a store
   * that numbers appended records by their commit (etcd: store/etcd-sequenced.ts) the event reads
   * no tail, so appenders on other coordinators never conflict with it; its seq is known only once
   * committed (the returned event has seq 0, and watchers get it from the store's change feed).
   */
  append(scope: WriteScope, event: NewEvent): CoordinatorEvent {
    const events = this.tables.events;
    const sequenced = events.appendSequenced !== undefined;
    const stored: CoordinatorEvent = {
      seq: sequenced ? 0 : this.takeSeq(),
      time: this.clock.now(),
      actor: event.actor,
      kind: event.kind,
      machineId: event.machineId ?? null,
      fromStatus: event.fromStatus ?? null,
      toStatus: event.toStatus ?? null,
      why: event.why,
      details: event.details ?? {},
      heldBy: this.holders(event),
    };
    if (sequenced) events.appendSequenced!(stored);
    else events.putSync(stored.seq, stored);
    scope.onCommit(() => {
      // A sequenced event is published from the change feed (follow), which knows its seq.
      if (!this.feed && !sequenced) this.publish(stored);
    });
    return stored;
  }

  // The tail is read from the store inside the transaction, never trusted from memory: a change
  // may run again (the etcd store reruns it on a conflict, a group commit after a throw), an append
  // may be rolled back, and other coordinators append to the same log. Reading the tail with a
  // reverse cursor cost about a quarter of an LMDB write's CPU, so the seq this log appended last
  // is tried first with two point reads: it is the tail when its event is stored and the next seq
  // is free (the log has no gaps). Otherwise (rolled back, or another writer appended) the tail is
  // read. Both are reads the etcd store compares at commit (a point read of an absent key
  // compares as absent), so a concurrent append there still fails the commit and reruns it.
  private takeSeq(): number {
    const hint = this.appended;
    const events = this.tables.events;
    const seq = hint !== null && events.get(hint + 1) === undefined && events.get(hint) !== undefined ? hint + 1 : this.lastSeq() + 1;
    this.appended = seq;
    return seq;
  }

  /**
   * Stored events with seq > sinceSeq, oldest first. From a seq the retention has pruned past it
   * throws EventsPrunedError (checked on the first read, so a caller fails before sending anything);
   * 0 reads from the oldest event kept.
   */
  *since(sinceSeq: number): Generator<CoordinatorEvent> {
    const floor = this.prunedThrough();
    if (sinceSeq > 0 && sinceSeq < floor) throw new EventsPrunedError(sinceSeq, floor);
    for (const { value } of this.tables.events.getRange({ start: sinceSeq + 1, snapshot: false })) {
      yield value as CoordinatorEvent;
    }
  }

  /** The seq through which events were pruned (0: none was). */
  prunedThrough(): number {
    const floor = this.tables.meta.get(EVENTS_PRUNED_THROUGH);
    return typeof floor === 'number' ? floor : 0;
  }

  /**
   * Removes the events `seqs` (ascending, each stored) inside the current write transaction, and
   * raises the log's floor to the last of them, never lowering it (a pruner that was paused while
   * another pruned further). The caller leaves out the newest event (LMDB numbers the next from
   * it); the tail is not read here, since on etcd that read would conflict with every append.
   */
  prune(seqs: readonly number[]): void {
    const through = seqs[seqs.length - 1];
    if (through === undefined) return;
    if (through > this.prunedThrough()) this.tables.meta.putSync(EVENTS_PRUNED_THROUGH, through);
    for (const seq of seqs) this.tables.events.removeSync(seq);
  }

  /** How many events are stored (LMDB walks the keys; an etcd replica knows its size). */
  count(): number {
    return this.tables.events.getKeysCount();
  }

  /** The owners an event is recorded with: as given, else the machine's owner as it stands now. */
  private holders(event: NewEvent): string[] {
    const given =
      event.heldBy ??
      (event.machineId ? [(this.tables.machines.get(event.machineId) as { owner?: string | null } | undefined)?.owner ?? null] : []);
    return [...new Set(given.filter((owner): owner is string => typeof owner === 'string'))];
  }

  lastSeq(): number {
    let last = 0;
    for (const key of this.tables.events.getKeys({ reverse: true, limit: 1 })) last = key;
    return last;
  }

  /**
   * Publishes every event appended to the store by anyone (other coordinators on a shared etcd
   * prefix too) as the store's change feed shows it, in seq order, each once, instead of only the
   * events this coordinator commits. Token revocations, user changes and WatchEvents streams all
   * follow the published events, so they see other coordinators' changes.
   */
  follow(changes: StoreChangeFeed): void {
    if (this.feed) return;
    const feed: { stop: () => void; published: number } = { stop: () => undefined, published: this.lastSeq() };
    this.feed = feed;
    feed.stop = changes.onPut('events', (value) => {
      const event = value as CoordinatorEvent;
      // Seq order is commit order; a record put again (never done today) is not news.
      if (event.seq <= feed.published) return;
      feed.published = event.seq;
      this.publish(event);
    });
  }

  /** Stops following the change feed. */
  unfollow(): void {
    this.feed?.stop();
    this.feed = null;
  }

  private publish(event: CoordinatorEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Calls `listener` with every event once committed; the returned function unsubscribes. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** How many listeners are subscribed (watch streams among them): leaks show up here. */
  subscriberCount(): number {
    return this.listeners.size;
  }
}
