// Errors of the LXD layer. LXD's own error envelope ({type: "error", error_code, error}) and failed
// operations are turned into these once, at the REST client; everything above matches on classes.

import { AgentError } from '../common/agent-error.js';

/** LXD answered with an error: its HTTP-like status code and its own message. */
export class LxdApiError extends AgentError {
  readonly code = 'lxd-refused';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly lxdMessage: string,
  ) {
    super(`LXD refused ${method} ${path} (${status}): ${lxdMessage}`);
  }

  get notFound(): boolean {
    return this.status === 404;
  }
}

/** A background operation finished in failure; lxdMessage is LXD's reason (e.g. "vhost_vsock kernel module not loaded"). */
export class LxdOperationError extends AgentError {
  readonly code = 'lxd-operation-failed';
  constructor(
    readonly operation: string,
    readonly description: string,
    readonly lxdMessage: string,
  ) {
    super(`LXD operation ${description || operation} failed: ${lxdMessage}`);
  }
}

/** LXD could not be reached (socket missing, connection refused, TLS failure, timeout). */
export class LxdUnavailableError extends AgentError {
  readonly code = 'lxd-unavailable';
  constructor(
    readonly endpoint: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`LXD at ${endpoint} is unavailable: ${reason}`, options);
  }
}

/** LXD's answer was not the JSON envelope its REST API documents. */
export class LxdProtocolError extends AgentError {
  readonly code = 'lxd-protocol';
  constructor(
    readonly method: string,
    readonly path: string,
    problem: string,
  ) {
    super(`malformed LXD response to ${method} ${path}: ${problem}`);
  }
}

/** No project is assigned to this agent yet. */
export class LxdNotAssignedError extends AgentError {
  readonly code = 'lxd-not-assigned';
  constructor(action: string) {
    super(`cannot ${action}: no LXD project is assigned to this agent (assign one with a project first)`);
  }
}

/** A project is assigned already and the command asks for another. */
export class LxdAlreadyAssignedError extends AgentError {
  readonly code = 'lxd-already-assigned';
  constructor(
    readonly current: string,
    wanted: string,
  ) {
    super(`this agent manages LXD project "${current}"; release it before assigning "${wanted}"`);
  }
}

/** An instance or project that does not exist in the assigned project (instances of other projects are never found). */
export class LxdNotFoundError extends AgentError {
  readonly code = 'lxd-not-found';
  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** A request that is wrong before LXD is asked (bad name, pinned CPUs across NUMA nodes, ...). */
export class LxdInvalidError extends AgentError {
  readonly code = 'lxd-invalid';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** The key or certificate material given for HTTPS cannot be used. */
export class LxdCredentialsError extends AgentError {
  readonly code = 'lxd-credentials';
}
