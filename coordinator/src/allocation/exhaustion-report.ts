// What the RESOURCE_EXHAUSTED message says: how many READY machines the caller may see, how many
// of them it may take, and how many are left after each constraint in turn, up to the first
// constraint that leaves none. Admins and observers see the fleet: "40 READY, 12 visible to
// admin, 3 with >= 64 cores, 0 with tag gpu". A member sees only the READY machines it may take
// (unreserved or reserved for it or its groups), so its count starts there and says nothing about
// the rest of the fleet: "12 READY visible to alice, 3 with >= 64 cores, 0 with tag gpu".
// Runs outside the write transaction: it scans every READY machine.
import { isHeldBy, seesAll } from '../tenancy/access.js';
import type { MachineTable } from '../store/machine-table.js';
import type { Principal } from '../tenancy/user.js';
import { constraintChecks, type AllocationConstraints } from './constraints.js';
import type { ReadySummary } from '../store/ready-index.js';

export function exhaustionCounts(
  table: MachineTable,
  principal: Principal,
  constraints: AllocationConstraints,
): { phrase: string; count: number }[] {
  let ready = 0;
  let remaining: ReadySummary[] = [];
  for (const { holder, summary } of table.allReady()) {
    ready++;
    if (holder === '' || isHeldBy(principal, parseHolder(holder))) remaining.push(summary);
  }
  const counts = seesAll(principal)
    ? [
        { phrase: 'READY', count: ready },
        { phrase: `visible to ${principal.user}`, count: remaining.length },
      ]
    : [{ phrase: `READY visible to ${principal.user}`, count: remaining.length }];
  for (const check of constraintChecks(constraints)) {
    if (remaining.length === 0) break;
    remaining = remaining.filter(check.test);
    counts.push({ phrase: check.phrase, count: remaining.length });
  }
  return counts;
}

function parseHolder(key: string): { kind: 'user' | 'group'; name: string } {
  return { kind: key.startsWith('u:') ? 'user' : 'group', name: key.slice(2) };
}
