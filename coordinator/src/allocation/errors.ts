// Errors of the allocation area.
import { DomainError } from '../domain-error.js';

/** Nothing fits; the message says how many machines each constraint left. */
export class NoMachineAvailableError extends DomainError {
  readonly kind = 'resource-exhausted';

  constructor(readonly counts: readonly { phrase: string; count: number }[]) {
    super(`no machine available: ${counts.map(({ phrase, count }) => `${count} ${phrase}`).join(', ')}`);
  }
}

/** The caller went away (cancelled or past its deadline) before its allocation was taken. */
export class AllocationCancelledError extends DomainError {
  readonly kind = 'cancelled';

  constructor() {
    super('allocation cancelled by the caller before a machine was taken');
  }
}
