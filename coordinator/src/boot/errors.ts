// Errors of the boot service.
import { DomainError } from '../domain-error.js';

/** A boot step cannot be started as asked: the message says why (an image the ramdisk cannot write, no boot service). */
export class BootStepError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly machineId: string,
    readonly problem: string,
  ) {
    super(`machine ${machineId}: ${problem}`);
  }
}

/** The boot service could not listen. */
export class BootListenError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`the boot service cannot listen on ${host}:${port}: ${code}`, options);
    this.name = 'BootListenError';
  }
}

/** The wait for a boot step's outcome ended without one. */
export class BootWaitError extends DomainError {
  readonly kind = 'deadline-exceeded';

  constructor(
    readonly machineId: string,
    readonly step: string,
    readonly why: string,
  ) {
    super(`machine ${machineId}, step ${step}: ${why}`);
  }
}
