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

/** A user still named by machines or pools: deleting it would leave them pointing at nobody. */
export class UserInUseError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly userName: string,
    readonly ownedMachines: number,
    readonly reservedMachines: number,
    readonly pools: readonly string[],
  ) {
    const holds = [
      ownedMachines > 0 ? `owns ${ownedMachines} machine(s) (release them first)` : '',
      reservedMachines > 0 ? `holds the reservation of ${reservedMachines} machine(s) (unreserve them first)` : '',
      pools.length > 0 ? `is the auto-reservation of pool(s) ${pools.join(', ')} (change their reservation first)` : '',
    ].filter(Boolean);
    super(`user ${userName} cannot be deleted: it ${holds.join('; ')}`);
  }
}

/** An admin changing its own role or deleting itself: it could lock the last admin out. */
export class OwnUserChangeError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly userName: string,
    readonly action: string,
  ) {
    super(`${userName} may not ${action}: ask another admin`);
  }
}
