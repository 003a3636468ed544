// Event retention. The event log records every state change, and unbounded it grows for the life
// of a site: in LMDB's file, in etcd's database toward its quota (2 GiB by default; at the quota
// etcd refuses every write until an operator steps in), and in the memory of every coordinator on
// etcd, whose replica holds the whole log. So one coordinator, the holder of this duty
// (ha/duty-election.ts; on LMDB the only one), prunes the oldest events every interval: those
// older than the retention in days, and those beyond the newest `max`. Each chunk is one write
// transaction that removes its events and raises the log's floor with them (EventLog.prune), so a
// reader resuming from a pruned seq is told so (EventsPrunedError: OUT_OF_RANGE) instead of
// silently missing what came between. The newest event is always kept: LMDB numbers the next one
// from it. An event's age is the time its coordinator recorded; the walk stops at the first event
// young enough that the count allows, so a clock that ran behind keeps events longer, never less.
import type { Clock } from '../clock.js';
import type { ActDeadline } from '../ha/act-deadline.js';
import type { Duty } from '../ha/duty-election.js';
import type { Logger } from '../logger.js';
import type { StoreBackend } from '../store/store-backend.js';
import type { EventLog } from './event-log.js';

export const DEFAULT_EVENT_RETENTION_DAYS = 90;
/** An etcd replica keeps about 0.8 KB an event (README, "Event retention"): about 200 MB at this count. */
export const DEFAULT_EVENT_RETENTION_MAX = 250_000;
/** How often the duty's holder prunes (and once when it takes the duty). */
export const EVENT_RETENTION_INTERVAL_MS = 10 * 60_000;
/** Events removed per write transaction: an etcd Txn holds at most 128 operations (--max-txn-ops). */
export const PRUNE_CHUNK = 100;

const DAY_MS = 86_400_000;

export interface EventRetentionOptions {
  /** Events older than this many days are pruned (0: no age limit). */
  readonly days: number;
  /** At most this many events are kept (0: no count limit). */
  readonly max: number;
  readonly intervalMs?: number;
}

export interface EventRetentionDeps {
  readonly store: Pick<StoreBackend, 'write'>;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly options: EventRetentionOptions;
  /** Until when this coordinator may act (its lease): a holder paused past it prunes no further. */
  readonly actDeadline: ActDeadline;
  readonly logger: Logger;
  /** Called with how many events each chunk removed (the metrics' counter). */
  readonly onPruned?: (count: number) => void;
}

export class EventRetention implements Duty {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: EventRetentionDeps) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.deps.options.intervalMs ?? EVENT_RETENTION_INTERVAL_MS);
    this.timer.unref();
    this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Prunes what the retention leaves out now, after any pass already running; how many events it removed. */
  pruneNow(): Promise<number> {
    const pass = this.running.then(() => this.prune());
    this.running = pass.catch(() => undefined);
    return pass;
  }

  private tick(): void {
    this.pruneNow().catch((error: unknown) =>
      this.deps.logger.warn({ err: error }, 'pruning the event log failed; trying again at the next interval'),
    );
  }

  private async prune(): Promise<number> {
    const { store, events, actDeadline, logger, onPruned } = this.deps;
    const due = this.due();
    let pruned = 0;
    for (let i = 0; i < due.length; i += PRUNE_CHUNK) {
      if (!actDeadline.allows()) break;
      const chunk = due.slice(i, i + PRUNE_CHUNK);
      await store.write(() => events.prune(chunk));
      pruned += chunk.length;
      onPruned?.(chunk.length);
    }
    if (pruned > 0) logger.info({ pruned, through: due[pruned - 1], kept: events.count() }, 'event log pruned');
    return pruned;
  }

  /** The seqs due for pruning, oldest first: older than the age limit or beyond the count limit, never the newest. */
  private due(): number[] {
    const { events, clock, options } = this.deps;
    const oldest = options.days > 0 ? clock.now() - options.days * DAY_MS : Number.NEGATIVE_INFINITY;
    let excess = options.max > 0 ? events.count() - options.max : 0;
    const newest = events.lastSeq();
    const due: number[] = [];
    for (const event of events.since(0)) {
      if (event.seq >= newest || (excess <= 0 && event.time >= oldest)) break;
      due.push(event.seq);
      excess--;
    }
    return due;
  }
}

/** What a coordinator builds the duty from: its store and log, the configured limits, its metrics. */
export interface RetentionSetting {
  readonly store: Pick<StoreBackend, 'write'>;
  readonly events: EventLog;
  readonly clock: Clock;
  readonly config: { readonly eventRetentionDays: number; readonly eventRetentionMax: number };
  readonly actDeadline: ActDeadline;
  readonly logger: Logger;
  readonly metrics: { eventsPruned(count: number): void };
}

/** The duty for the configured limits, or null when both are off (every event is kept). */
export function eventRetentionDuty(setting: RetentionSetting): EventRetention | null {
  const { config, metrics, logger } = setting;
  if (config.eventRetentionDays === 0 && config.eventRetentionMax === 0) return null;
  return new EventRetention({
    ...setting,
    options: { days: config.eventRetentionDays, max: config.eventRetentionMax },
    logger: logger.child({ component: 'event-retention' }),
    onPruned: (count) => metrics.eventsPruned(count),
  });
}
