// Errors of the status endpoint.

/** The status server could not listen on its address (in use, not local, no permission). */
export class StatusListenError extends Error {
  override name = 'StatusListenError';
  constructor(
    readonly address: string,
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`status endpoint cannot listen on ${address}${code ? ` (${code})` : ''}`, options);
  }
}

/** A StatusServer option is out of range or malformed; field names it. */
export class StatusOptionError extends Error {
  override name = 'StatusOptionError';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`status endpoint option ${field} ${problem}`);
  }
}
