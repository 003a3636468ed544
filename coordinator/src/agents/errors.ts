// Errors of the agent link, each with the kind the API edge maps to a gRPC status.
import { DomainError } from '../domain-error.js';

/** An enrollment token that is unknown, already used or expired. Nothing is stored. */
export class EnrollmentTokenError extends DomainError {
  readonly kind = 'unauthenticated';
}

/** The CSR names another agent than the token was created for. */
export class CsrNameMismatchError extends DomainError {
  readonly kind = 'invalid-argument';
  constructor(
    readonly csrName: string,
    readonly tokenName: string,
  ) {
    super(`csr_pem: the CSR's subject common name "${csrName}" does not match the token's agent name "${tokenName}"`);
  }
}

/** The agent was revoked by an admin: its certificate is refused. */
export class AgentRevokedError extends DomainError {
  readonly kind = 'permission-denied';
  constructor(readonly agentId: string) {
    super(`agent ${agentId} is revoked; enroll it again with a new token to readmit it`);
  }
}

/**
 * A certificate the CA did issue to this agent, but not its current one: a renewal or a new
 * enrollment replaced it (after a renewal, once the overlap is over).
 */
export class CertificateSupersededError extends DomainError {
  readonly kind = 'unauthenticated';
  constructor(
    readonly agentId: string,
    readonly serial: string,
    readonly why: string,
  ) {
    super(`the client certificate (serial ${serial}) is no longer agent ${agentId}'s certificate: ${why}`);
  }
}

/** No client certificate, or one that names no enrolled agent. */
export class AgentUnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
}

export class AgentNotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(readonly agentId: string) {
    super(`agent ${agentId} not found`);
  }
}

/** The coordinator is shutting down: a command still waiting for its agent is given up. */
export class SessionHubClosedError extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    readonly agentId: string,
    readonly commandId: string,
    readonly what: string,
  ) {
    super(`the coordinator is shutting down: ${what} (command ${commandId}) for agent ${agentId} was given up`);
  }
}

/** A command's deadline passed before the agent answered (it may be OFFLINE). */
export class AgentCommandTimeoutError extends DomainError {
  readonly kind = 'deadline-exceeded';
  constructor(
    readonly agentId: string,
    readonly commandId: string,
    readonly what: string,
    readonly deadlineMs: number,
    readonly agentState: string,
  ) {
    super(
      agentState === 'ONLINE'
        ? `agent ${agentId} did not answer ${what} (command ${commandId}) within ${deadlineMs} ms`
        : `agent ${agentId} is ${agentState}: ${what} (command ${commandId}) was not delivered within ${deadlineMs} ms`,
    );
  }
}

/** The agent carried out the command and reported a failure. */
export class AgentCommandFailedError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly agentId: string,
    readonly commandId: string,
    readonly code: string,
    readonly reason: string,
  ) {
    super(`agent ${agentId} failed command ${commandId}: ${code}: ${reason}`);
  }
}

/**
 * An SR-IOV VF count above what the PF supports, as its agent last reported it (sriov_totalvfs):
 * the kernel refuses such a count (ERANGE), so it is refused before anything is stored or sent.
 */
export class VfCountAboveLimitError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly agentId: string,
    readonly pf: string,
    readonly requested: number,
    readonly totalVfs: number,
  ) {
    super(
      `pf.num_vfs: ${requested} VFs requested, but PF ${pf} of agent ${agentId} supports at most ${totalVfs} ` +
        `(its sriov_totalvfs, as the agent last reported)`,
    );
  }
}

/** A command delivered for another coordinator stopped mattering: answered elsewhere, or given up by its caller. */
export class AgentCommandWithdrawnError extends DomainError {
  readonly kind = 'cancelled';
  constructor(
    readonly agentId: string,
    readonly commandId: string,
    readonly what: string,
    readonly why: string,
  ) {
    super(`${what} (command ${commandId}) for agent ${agentId} was withdrawn: ${why}`);
  }
}

/** This coordinator takes no agent sessions any more (its lease was lost): the agent is to connect to another. */
export class SessionsRefusedError extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    readonly agentId: string,
    readonly why: string,
  ) {
    super(`this coordinator takes no agent sessions (${why}): agent ${agentId} is to connect to another coordinator`);
  }
}
