// Errors of the status endpoint.

import { AgentError } from '../common/agent-error.js';

/** What an errno of listen(2) means for the operator choosing the status address. */
const LISTEN_ERRNO_MEANING: Readonly<Record<string, string>> = {
  EADDRINUSE: 'another process, perhaps another mooring-agent, already listens there',
  EADDRNOTAVAIL: 'no interface of this host has that address',
  EACCES: 'a port below 1024 needs privileges the agent does not have',
};

/**
 * The status server could not listen on its address (in use, not local, no permission). `hint`
 * says how to choose another (the daemon names its --status-listen option and where the value
 * came from); the bare server has none to give.
 */
export class StatusListenError extends AgentError {
  readonly code = 'status-listen';
  constructor(
    readonly address: string,
    /** The errno name (EADDRINUSE, EADDRNOTAVAIL, EACCES...), if there was one. */
    readonly errno: string | undefined,
    options?: { cause?: unknown; hint?: string },
  ) {
    const meaning = errno === undefined ? undefined : LISTEN_ERRNO_MEANING[errno];
    const why = errno === undefined ? '' : ` (${errno}${meaning ? `: ${meaning}` : ''})`;
    super(`status endpoint cannot listen on ${address}${why}${options?.hint ? `; ${options.hint}` : ''}`, options);
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
