// Who may see and do what (ARCHITECTURE.md "Identity and security", "Visibility"). MAAS's rule:
// a member sees the machines it owns, and machines nobody owns that are unreserved or reserved
// for it or its groups. A machine someone else owns is invisible whether or not it is reserved
// for the member. Callers turn "cannot see" into NOT_FOUND worded exactly as a missing machine,
// never PERMISSION_DENIED, so nothing leaks about the rest. Admins and observers see everything.
import type { Holder, Machine } from '../machines/machine.js';
import { PermissionDeniedError } from './errors.js';
import type { Principal } from './user.js';

export function canSeeMachine(principal: Principal, machine: Pick<Machine, 'owner' | 'reservedFor'>): boolean {
  if (principal.role !== 'member') return true;
  if (machine.owner !== null) return machine.owner === principal.user;
  return machine.reservedFor === null || isHeldBy(principal, machine.reservedFor);
}

/** Whether `principal` sees everything (admins and observers) rather than only its own share. */
export function seesAll(principal: Principal): boolean {
  return principal.role !== 'member';
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
