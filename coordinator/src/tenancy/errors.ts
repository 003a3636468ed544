// Errors of the tenancy area: identities, permissions, pools.
import { DomainError } from '../domain-error.js';

export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';

  constructor(readonly problem: string) {
    super(problem);
  }
}

export class PermissionDeniedError extends DomainError {
  readonly kind = 'permission-denied';

  constructor(
    readonly user: string,
    readonly action: string,
  ) {
    super(`${user} may not ${action}`);
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found';

  constructor(
    readonly what: 'user' | 'group' | 'pool' | 'token',
    readonly subject: string,
  ) {
    super(`${what} ${subject} not found`);
  }
}

export class AlreadyExistsError extends DomainError {
  readonly kind = 'already-exists';

  constructor(
    readonly what: 'user' | 'group' | 'pool',
    readonly subject: string,
  ) {
    super(`${what} ${subject} already exists`);
  }
}

export class PoolInUseError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly pool: string,
    readonly machines: number,
  ) {
    super(`pool ${pool} still holds ${machines} machine(s)`);
  }
}
