// Errors of the status endpoint.

import { AgentError } from '../common/agent-error.js';

/** The status server could not listen on its address (in use, not local, no permission). */
export class StatusListenError extends AgentError {
  readonly code = 'status-listen';
  constructor(
    readonly address: string,
    /** The errno name (EADDRINUSE, EADDRNOTAVAIL, EACCES...), if there was one. */
    readonly errno: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`status endpoint cannot listen on ${address}${errno ? ` (${errno})` : ''}`, options);
  }
}

/** A StatusServer option is out of range or malformed; field names it. */
export class StatusOptionError extends AgentError {
  readonly code = 'status-option';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`status endpoint option ${field} ${problem}`);
  }
}
