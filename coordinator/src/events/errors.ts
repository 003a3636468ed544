// Errors of the events area.
import { DomainError } from '../domain-error.js';

/**
 * A watcher fell too far behind: more events waited for it than a stream may hold. It has been
 * sent every event up to `resumeFrom - 1` and resumes with WatchEvents since_seq = resumeFrom - 1.
 */
export class ClientTooSlowError extends DomainError {
  readonly kind = 'resource-exhausted';

  constructor(
    readonly resumeFrom: number,
    readonly limit: number,
  ) {
    super(
      `client too slow, resume from event ${resumeFrom} (since_seq ${resumeFrom - 1}): more than ${limit} events were waiting to be sent`,
    );
  }
}

/**
 * A read of the log from a seq whose events the retention duty has pruned (events/event-retention.ts):
 * what came between is gone, so the reader cannot resume where it was. since_seq 0 reads from the
 * oldest event kept.
 */
export class EventsPrunedError extends DomainError {
  readonly kind = 'out-of-range';

  constructor(
    readonly sinceSeq: number,
    readonly prunedThrough: number,
  ) {
    super(
      `since_seq ${sinceSeq}: the events through seq ${prunedThrough} were pruned by the event retention ` +
        `(--event-retention-days, --event-retention-max); read from since_seq ${prunedThrough} or 0 (the oldest kept)`,
    );
  }
}
