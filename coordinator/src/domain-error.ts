// The base of every typed coordinator error. Each area's errors.ts extends it with structured
// fields; `kind` is what the API edge (api/status-mapping.ts) turns into a gRPC status, once.

export type ErrorKind =
  | 'invalid-argument'
  | 'not-found'
  | 'already-exists'
  | 'failed-precondition'
  | 'permission-denied'
  | 'resource-exhausted'
  | 'out-of-range'
  | 'unauthenticated'
  | 'cancelled'
  | 'deadline-exceeded'
  | 'unavailable';

export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A request field failed validation; `field` is its path in the request, as the proto names it. */
export class InvalidArgumentError extends DomainError {
  readonly kind = 'invalid-argument';

  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}
