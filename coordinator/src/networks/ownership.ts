// Who may own, see and remove networks and security groups. Members see and use what is owned by
// them or one of their groups; anything else is reported as missing (the caller cannot tell it
// from a made-up name). Admins and observers see everything; observers change nothing.
import { InvalidArgumentError } from '../domain-error.js';
import { isHeldBy, requireWriter, seesAll } from '../tenancy/access.js';
import { PermissionDeniedError } from '../tenancy/errors.js';
import type { Principal } from '../tenancy/user.js';
import type { UserDirectory } from '../tenancy/user-directory.js';
import { ownerText, type Owner } from './network-records.js';

export function canSee(principal: Principal, owner: Owner): boolean {
  return seesAll(principal) || isHeldBy(principal, owner);
}

/**
 * The owner a new network or security group gets: the caller when none is asked for. A member
 * may give it to itself or one of its groups; an admin to any existing user or group.
 */
export function resolveOwner(principal: Principal, requested: Owner | null, users: UserDirectory, what: string): Owner {
  requireWriter(principal, `create ${what}s`);
  if (requested === null) return { kind: 'user', name: principal.user };
  if (principal.role === 'admin') {
    const exists = requested.kind === 'user' ? users.getUser(requested.name) : users.getGroup(requested.name);
    if (!exists) throw new InvalidArgumentError('owner', `${requested.kind} ${requested.name} does not exist`);
    return requested;
  }
  if (!isHeldBy(principal, requested))
    throw new PermissionDeniedError(principal.user, `give a ${what} to ${ownerText(requested)} (only to itself or its groups)`);
  return requested;
}

export function sameOwner(a: Owner, b: Owner): boolean {
  return a.kind === b.kind && a.name === b.name;
}
