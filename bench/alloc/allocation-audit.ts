// The coordinator's own record of the run, checked after it: every machine's transitions in the
// event log must chain (each one starts from the status the one before it left the machine in),
// so a machine allocated twice without a release between shows as a second READY -> ALLOCATED.
// (A check at the clients cannot tell a double allocation from a legitimate one: a client sends
// its release as soon as the allocation arrives, so by the time another client is answered with
// the same machine, the release may already have been applied.)
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';

export interface AuditFigures {
  /** READY -> ALLOCATED transitions recorded since the audit's start. */
  readonly allocations: number;
  /** Transitions into ALLOCATED of a machine that was already ALLOCATED by the log. */
  readonly doubleAllocations: number;
}

const PAGE = 5000;

/** The event log's newest seq now: audit from here. */
export async function auditStart(admin: CoordinatorClient): Promise<number> {
  return (await admin.call('EventService', 'ListEvents', { sinceSeq: Number.MAX_SAFE_INTEGER, limit: 1 })).lastSeq;
}

/** Reads the log from `sinceSeq` to its end and checks the chain of each machine's transitions. */
export async function auditAllocations(admin: CoordinatorClient, sinceSeq: number): Promise<AuditFigures> {
  const status = new Map<string, string>();
  let allocations = 0;
  let doubleAllocations = 0;
  for (let since = sinceSeq; ;) {
    const { events, lastSeq } = await admin.call('EventService', 'ListEvents', { sinceSeq: since, limit: PAGE });
    for (const event of events) {
      if (event.kind !== 'machine.transition') continue;
      const before = status.get(event.machineId) ?? event.fromStatus;
      if (event.toStatus === 'ALLOCATED') {
        allocations++;
        if (before === 'ALLOCATED') doubleAllocations++;
      }
      status.set(event.machineId, event.toStatus);
    }
    since = events.length > 0 ? events[events.length - 1]!.seq : lastSeq;
    if (events.length < PAGE || since >= lastSeq) break;
  }
  return { allocations, doubleAllocations };
}
