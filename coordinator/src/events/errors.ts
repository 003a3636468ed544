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
