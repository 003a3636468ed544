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

/** OVN did not report a logical port up within the port-active bound (the wait-ovn step). */
export class OvnClaimTimeoutError extends DomainError {
  readonly kind = 'deadline-exceeded';
  constructor(
    readonly port: string,
    readonly agentId: string,
    readonly timeoutMs: number,
  ) {
    super(`OVN did not claim port ${port} on smartNIC ${agentId} within ${timeoutMs / 1000} s`);
  }
}

/** A networked deploy or bind to a machine whose smartNIC cannot carry tenant networks. */
export class OvnNotConfiguredError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(readonly agentId: string) {
    super(`agent ${agentId}: ovn-controller not configured (no ovn-remote in Open_vSwitch external_ids)`);
  }
}

/** A tenant network was asked for on a machine that has no smartNIC port to attach. */
export class NoSmartNicPortsError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(readonly hostname: string) {
    super(`machine ${hostname} has no smartNIC ports to attach to a network`);
  }
}

/** The deploy ramdisk reported a failure for its step (write the image, erase the disks). */
export class RamdiskFailedError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly step: string,
    readonly reason: string,
  ) {
    super(`the ramdisk reported a failure (${step}): ${reason}`);
  }
}

/** An image deploy was asked for in a way it cannot run (no network, no boot service, no provisioning network). */
export class ImageDeployRefusedError extends DomainError {
  readonly kind = 'failed-precondition';
}
