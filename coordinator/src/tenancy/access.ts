// Who may see and do what (ARCHITECTURE.md "Identity and security", "Visibility"). Members see
// unreserved machines, machines reserved for them or their groups, and machines they own; callers
// turn "cannot see" into NOT_FOUND, never PERMISSION_DENIED, so nothing leaks about the rest.
import type { Holder, Machine } from '../machines/machine.js';
import { PermissionDeniedError } from './errors.js';
import type { Principal } from './user.js';

export function canSeeMachine(principal: Principal, machine: Pick<Machine, 'owner' | 'reservedFor'>): boolean {
  if (principal.role !== 'member') return true;
  if (machine.owner === principal.user) return true;
  return isHeldBy(principal, machine.reservedFor) || machine.reservedFor === null;
}

/** Whether a reservation for `holder` lets `principal` take the machine (null: unreserved). */
export function isHeldBy(principal: Principal, holder: Holder | null): boolean {
  if (!holder) return false;
  return holder.kind === 'user' ? holder.name === principal.user : principal.groups.includes(holder.name);
}

export function requireAdmin(principal: Principal, action: string): void {
  if (principal.role !== 'admin') throw new PermissionDeniedError(principal.user, action);
}

/** Admins and members change things; observers only read. */
export function requireWriter(principal: Principal, action: string): void {
  if (principal.role === 'observer') throw new PermissionDeniedError(principal.user, action);
}
