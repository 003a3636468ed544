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

export class NotMachineOwnerError extends DomainError {
  readonly kind = 'permission-denied';

  constructor(
    readonly machineId: string,
    readonly user: string,
  ) {
    super(`machine ${machineId} is not owned by ${user}`);
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
