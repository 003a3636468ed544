// Errors of the VM host area, each with the kind the API edge maps to a gRPC status.
import { DomainError } from '../domain-error.js';

export class VmHostNotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(readonly host: string) {
    super(`VM host ${host} not found`);
  }
}

export class VmHostExistsError extends DomainError {
  readonly kind = 'already-exists';
  constructor(
    readonly host: string,
    readonly project: string,
  ) {
    super(`agent ${host} is already the VM host ${host} (project ${project})`);
  }
}

/** Only agents enrolled with role vmhost manage LXD. */
export class NotAVmHostAgentError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly agent: string,
    readonly role: string,
  ) {
    super(`agent ${agent} has role ${role}: a VM host needs an agent enrolled with role vmhost`);
  }
}

/** The agent carried out an LXD command and failed; `lxdError` is LXD's own message when LXD refused. */
export class LxdCommandFailedError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly agent: string,
    readonly what: string,
    readonly code: string,
    readonly reason: string,
    readonly lxdError: string,
  ) {
    const detail = lxdError && !reason.includes(lxdError) ? `${reason} (LXD: ${lxdError})` : reason || lxdError || code;
    super(`agent ${agent} could not ${what}: ${detail}`);
  }
}

/** Compose would pass capacity x ratio for one or more resources; each line says which and by how much. */
export class OvercommitError extends DomainError {
  readonly kind = 'resource-exhausted';
  constructor(
    readonly host: string,
    readonly problems: readonly string[],
  ) {
    super(`VM host ${host} cannot take this VM: ${problems.join('; ')}`);
  }
}

/** A pinned CPU set that does not fit a NUMA node. */
export class NumaPlacementError extends DomainError {
  readonly kind = 'failed-precondition';
}

/** Compose needs the host's resources, which come with the agent's first LXD report. */
export class NoResourceReportError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly host: string,
    readonly why: string,
  ) {
    super(`VM host ${host} has not reported its LXD resources yet (${why})`);
  }
}

export class NotAVmError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly machine: string,
    readonly driver: string,
  ) {
    super(`machine ${machine} uses the ${driver} power driver: it is not an instance on a VM host`);
  }
}

/** Removing a host whose machines are in use would pull them from under their owners. */
export class VmHostInUseError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly host: string,
    readonly busy: readonly string[],
  ) {
    super(`VM host ${host} has machines in use (${busy.join(', ')}): release them first`);
  }
}

/** LXD commands need the VM host's agent connected. */
export class AgentNotOnlineError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly agent: string,
    readonly state: string,
    readonly what: string,
  ) {
    super(`agent ${agent} is ${state}: cannot ${what}`);
  }
}
