// Errors of the sequencer, each naming the step's subject and what it waited for.
import { DomainError } from '../domain-error.js';

/** A bounded wait of a sequence ran out (agent session, port active). */
export class SequenceTimeoutError extends DomainError {
  readonly kind = 'deadline-exceeded';
}

/** The agent carried out a port command and reported a failure. */
export class PortCommandFailedError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly agentId: string,
    readonly port: string,
    readonly code: string,
    readonly reason: string,
  ) {
    super(`agent ${agentId} could not change port ${port}: ${code}: ${reason}`);
  }
}

/** Another sequence is already running for the machine. */
export class SequenceBusyError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly machineId: string,
    readonly running: string,
  ) {
    super(`machine ${machineId} is busy: a ${running} sequence is running`);
  }
}

export class SequenceNotFoundError extends DomainError {
  readonly kind = 'not-found';
}

/** A manual power confirmation that nothing is waiting for. */
export class NothingToConfirmError extends DomainError {
  readonly kind = 'failed-precondition';
}
