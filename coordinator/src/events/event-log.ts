// The event log: every state change, who made it, when and why, stored in the same transaction
// as the change itself and published to watchers once that transaction has committed.
import type { Clock } from '../clock.js';
import type { WriteScope } from '../store/store.js';
import type { Tables } from '../store/tables.js';

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
}

export type NewEvent = Omit<CoordinatorEvent, 'seq' | 'time' | 'machineId' | 'fromStatus' | 'toStatus' | 'details'> &
  Partial<Pick<CoordinatorEvent, 'machineId' | 'fromStatus' | 'toStatus' | 'details'>>;

export type EventListener = (event: CoordinatorEvent) => void;

export class EventLog {
  private nextSeq: number;
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly tables: Tables,
    private readonly clock: Clock,
  ) {
    let last = 0;
    for (const key of tables.events.getKeys({ reverse: true, limit: 1 })) last = key;
    this.nextSeq = last + 1;
  }

  /** Records `event` in the current write transaction; watchers see it after the commit. */
  append(scope: WriteScope, event: NewEvent): CoordinatorEvent {
    const stored: CoordinatorEvent = {
      seq: this.nextSeq++,
      time: this.clock.now(),
      actor: event.actor,
      kind: event.kind,
      machineId: event.machineId ?? null,
      fromStatus: event.fromStatus ?? null,
      toStatus: event.toStatus ?? null,
      why: event.why,
      details: event.details ?? {},
    };
    this.tables.events.putSync(stored.seq, stored);
    scope.onCommit(() => {
      for (const listener of this.listeners) listener(stored);
    });
    return stored;
  }

  /** Stored events with seq > sinceSeq, oldest first. */
  *since(sinceSeq: number): Generator<CoordinatorEvent> {
    for (const { value } of this.tables.events.getRange({ start: sinceSeq + 1, snapshot: false })) {
      yield value as CoordinatorEvent;
    }
  }

  lastSeq(): number {
    return this.nextSeq - 1;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}
