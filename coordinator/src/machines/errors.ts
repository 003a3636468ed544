// Errors of the machines area.
import { DomainError } from '../domain-error.js';
import type { MachineStatus } from './machine.js';

export class MachineNotFoundError extends DomainError {
  readonly kind = 'not-found';

  constructor(readonly machine: string) {
    super(`machine ${machine} not found`);
  }
}

export class HostnameTakenError extends DomainError {
  readonly kind = 'already-exists';

  constructor(readonly hostname: string) {
    super(`a machine named ${hostname} already exists`);
  }
}

/** A request the machine's current state does not allow; names that state. */
export class IllegalTransitionError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly machineId: string,
    readonly current: MachineStatus,
    readonly action: string,
  ) {
    super(`machine ${machineId} is ${current}: cannot ${action}`);
  }
}

/**
 * A member acting as owner on a machine it can see but does not own. Visibility (tenancy/access.ts)
 * leaves only free machines here (someone else's machine is NOT_FOUND before this is asked), so
 * the answer is about the machine's state, not a permission: it is not allocated to the caller.
 */
export class NotMachineOwnerError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly machineId: string,
    readonly user: string,
  ) {
    super(`machine ${machineId} is not allocated to ${user}: allocate it first`);
  }
}

export class PortNotFoundError extends DomainError {
  readonly kind = 'not-found';

  constructor(
    readonly machineId: string,
    readonly mac: string,
  ) {
    super(`machine ${machineId} has no port ${mac}`);
  }
}

export class PortExistsError extends DomainError {
  readonly kind = 'already-exists';

  constructor(
    readonly machineId: string,
    readonly mac: string,
  ) {
    super(`port.mac: machine ${machineId} already has a port ${mac}`);
  }
}

/** A day-2 power or power-settings change refused while something else drives the machine's power. */
export class MachinePowerBusyError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly machineId: string,
    readonly busyWith: string,
    readonly action: string,
  ) {
    super(`machine ${machineId} is busy: ${busyWith} is running; cannot ${action} until it ends`);
  }
}

/** A power action the machine's driver cannot take on request (manual power is done by hand). */
export class PowerActionUnsupportedError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly machineId: string,
    readonly driver: string,
    readonly action: string,
  ) {
    super(`machine ${machineId} uses the ${driver} power driver: cannot ${action} on request`);
  }
}

/** Commissioning reached the BMC but could not read the machine's hardware from it. */
export class HardwareInventoryError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly machineId: string,
    readonly driver: string,
    cause: unknown,
  ) {
    super(`reading the hardware inventory over ${driver} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
