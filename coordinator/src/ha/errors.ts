// Errors of the work that must happen once (leases, duties, sequence ownership).
import { DomainError } from '../domain-error.js';

/**
 * This coordinator no longer owns what it was about to act on: its lease is lost or expired, or
 * another coordinator holds the sequence now. Whatever it was doing stops without a write or a
 * BMC call; the new owner carries on from the stored step.
 */
export class OwnershipLostError extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    /** What was owned: 'lease', or 'sequence <machine id>'. */
    readonly subject: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`ownership lost (${subject}): ${reason}`, options);
  }
}

/** The coordinator id file in the data dir is unreadable or malformed. */
export class CoordinatorIdError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`coordinator id file ${path} ${reason}`);
  }
}
