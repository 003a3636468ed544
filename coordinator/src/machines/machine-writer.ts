// The one place machine records change. Every change runs inside a write transaction, goes
// through the lifecycle guard when it moves the status, applies the pool's auto-reservation when
// the machine becomes READY, and records an event (who, what, when, why) in the same transaction.
import type { Clock } from '../clock.js';
import type { EventLog } from '../events/event-log.js';
import type { Logger } from '../logger.js';
import type { MachineTable } from '../store/machine-table.js';
import type { WriteScope } from '../store/store.js';
import { checkTransition } from './lifecycle.js';
import { describeHolder, type Holder, type Machine, type MachineStatus } from './machine.js';

/** The auto-reservation rule of a pool, or null. */
export type AutoReservation = (pool: string) => Holder | null;

export type MachinePatch = Partial<Omit<Machine, 'id' | 'status' | 'createdAt' | 'updatedAt'>>;

export interface MachineWriterDeps {
  readonly table: MachineTable;
  readonly events: EventLog;
  readonly autoReservation: AutoReservation;
  readonly clock: Clock;
  readonly logger: Logger;
}

export class MachineWriter {
  constructor(private readonly deps: MachineWriterDeps) {}

  get table(): MachineTable {
    return this.deps.table;
  }

  /** Moves `machine` to `to` (guarded), applying `patch`; returns the new record. */
  transition(
    scope: WriteScope,
    actor: string,
    machine: Machine,
    to: MachineStatus,
    action: string,
    why: string,
    patch: MachinePatch = {},
  ): Machine {
    return this.transitionThrough(scope, actor, machine, [to], action, why, patch);
  }

  /**
   * Moves `machine` through each status of `path` in turn (each step guarded and recorded as its
   * own event) and writes the record once, at its final status.
   */
  transitionThrough(
    scope: WriteScope,
    actor: string,
    machine: Machine,
    path: readonly MachineStatus[],
    action: string,
    why: string,
    patch: MachinePatch = {},
  ): Machine {
    let from = machine;
    for (const step of path.slice(0, -1)) {
      checkTransition(from, step, action);
      this.deps.events.append(scope, {
        actor,
        kind: 'machine.transition',
        machineId: machine.id,
        fromStatus: from.status,
        toStatus: step,
        why,
        details: { action },
        heldBy: [machine.owner],
      });
      from = { ...from, status: step };
    }
    const to = path[path.length - 1] as MachineStatus;
    checkTransition(from, to, action);
    let after: Machine = { ...machine, ...patch, status: to, updatedAt: this.deps.clock.now() };
    const details: Record<string, string> = { action };
    if (to === 'READY' && after.reservedFor === null) {
      const holder = this.deps.autoReservation(after.pool);
      if (holder) {
        after = { ...after, reservedFor: holder };
        details['autoReservedFor'] = describeHolder(holder);
      }
    }
    this.deps.table.save(machine, after);
    this.deps.events.append(scope, {
      actor,
      kind: 'machine.transition',
      machineId: machine.id,
      fromStatus: from.status,
      toStatus: to,
      why,
      details,
      heldBy: [machine.owner, after.owner],
    });
    scope.onCommit(() => this.deps.logger.info({ machineId: machine.id, actor, why }, `${[machine.status, ...path].join(' -> ')}`));
    return after;
  }

  /** A change that keeps the status (reservation, annotations, enlistment). */
  update(
    scope: WriteScope,
    actor: string,
    before: Machine | null,
    after: Machine,
    kind: string,
    why: string,
    details: Record<string, string> = {},
  ): Machine {
    const stamped: Machine = { ...after, updatedAt: this.deps.clock.now() };
    this.deps.table.save(before, stamped);
    this.deps.events.append(scope, {
      actor,
      kind,
      machineId: after.id,
      toStatus: before ? null : after.status,
      why,
      details,
      heldBy: [before?.owner ?? null, after.owner],
    });
    return stamped;
  }

  /** Records an event about `machine` without changing it (a finding, such as a hardware mismatch). */
  note(scope: WriteScope, actor: string, machine: Machine, kind: string, why: string, details: Record<string, string> = {}): void {
    this.deps.events.append(scope, { actor, kind, machineId: machine.id, why, details, heldBy: [machine.owner] });
  }

  remove(scope: WriteScope, actor: string, machine: Machine): void {
    this.deps.table.remove(machine);
    this.deps.events.append(scope, {
      actor,
      kind: 'machine.deleted',
      machineId: machine.id,
      fromStatus: machine.status,
      why: machine.hostname,
      heldBy: [machine.owner],
    });
  }
}
