// Typed errors for the OVSDB client. Remote error text is turned into these once, at the boundary.
// Each carries a `code`; whoever uses the client (the agent's command results, for one) maps codes to
// its own outcomes in one table instead of matching classes or names.

export type OvsdbErrorCode =
  | 'ovsdb-protocol'
  | 'ovsdb-connection-closed'
  | 'ovsdb-not-connected'
  | 'ovsdb-request-timeout'
  | 'ovsdb-rpc-failed'
  | 'ovsdb-transaction-refused'
  | 'ovsdb-transaction-failed'
  | 'ovsdb-client-closed'
  | 'ovsdb-schema'
  | 'ovsdb-unsendable';

/** The base of every OVSDB client error; `name` is the class's name. */
export abstract class OvsdbError extends Error {
  abstract readonly code: OvsdbErrorCode;

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The peer sent bytes that are not a sequence of JSON-RPC objects. The connection is dropped. */
export class OvsdbProtocolError extends OvsdbError {
  readonly code = 'ovsdb-protocol';
}

/** A single message from the peer exceeded the configured maximum size. The connection is dropped. */
export class MessageTooLargeError extends OvsdbProtocolError {
  constructor(readonly limitBytes: number) {
    super(`OVSDB peer sent a message larger than ${limitBytes} bytes; disconnecting`);
  }
}

/** The connection closed (or was never open) while the request was outstanding. */
export class ConnectionClosedError extends OvsdbError {
  readonly code = 'ovsdb-connection-closed';
  constructor(
    readonly method: string,
    options?: { cause?: unknown },
  ) {
    const why = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`OVSDB connection closed before "${method}" was answered${why}`, options);
  }
}

/** The client is not connected (e.g. between reconnect attempts); nothing was sent. */
export class NotConnectedError extends OvsdbError {
  readonly code = 'ovsdb-not-connected';
  constructor(
    readonly method: string,
    readonly state: string,
  ) {
    super(`OVSDB client is ${state}; "${method}" was not sent`);
  }
}

/** No reply within the per-request timeout. The request may still have been executed. */
export class RequestTimeoutError extends OvsdbError {
  readonly code = 'ovsdb-request-timeout';
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`OVSDB "${method}" got no reply within ${timeoutMs} ms`);
  }
}

/** A JSON-RPC error reply (the "error" member was not null). */
export class OvsdbRpcError extends OvsdbError {
  readonly code = 'ovsdb-rpc-failed';
  constructor(
    readonly method: string,
    readonly error: string,
    readonly details?: string,
  ) {
    super(`OVSDB "${method}" failed: ${error}${details ? ` (${details})` : ''}`);
  }
}

/**
 * RFC 7047 §4.1.3: one operation of a transaction failed. `index` is the failing operation,
 * or operations.length when the commit itself failed (the extra result slot).
 */
export class TransactionError extends OvsdbError {
  /** The server refused what the transaction says, not the moment: sending it again fails again. */
  readonly refusesContent: boolean;
  readonly code: 'ovsdb-transaction-refused' | 'ovsdb-transaction-failed';
  constructor(
    readonly error: string,
    readonly details: string | undefined,
    readonly index: number,
    readonly op: string,
  ) {
    super(`OVSDB transaction failed at ${op} (operation ${index}): ${error}${details ? `: ${details}` : ''}`);
    this.refusesContent = CONTENT_ERRORS.has(error);
    this.code = this.refusesContent ? 'ovsdb-transaction-refused' : 'ovsdb-transaction-failed';
  }
}

/**
 * RFC 7047 §4.1.3 and ovsdb-server(7) error names that judge a transaction's content (its syntax,
 * its data against the schema's types and constraints, its references). The others ("timed out"
 * of a wait, "not owner", "aborted", "I/O error", "internal error", "permission error") depend on
 * the moment or on the server's configuration, and a later attempt may succeed.
 */
const CONTENT_ERRORS: ReadonlySet<string> = new Set([
  'syntax error',
  'unknown column',
  'unknown table',
  'unknown database',
  'constraint violation',
  'referential integrity violation',
  'domain error',
  'range error',
  'duplicate uuid-name',
  'duplicate uuid',
  'ovsdb error',
  'not supported',
  'not allowed',
]);

/** The client was closed by its owner. */
export class ClientClosedError extends OvsdbError {
  readonly code = 'ovsdb-client-closed';
  constructor() {
    super('OVSDB client is closed');
  }
}

/** The server has no such database, table or column, or the data does not fit the schema. */
export class SchemaError extends OvsdbError {
  readonly code = 'ovsdb-schema';
}

/**
 * The request holds a string ovsdb-server cannot parse (a NUL byte or an unpaired surrogate); it
 * would drop the connection instead of answering, so nothing was sent. Retrying cannot help.
 */
export class UnsendableRequestError extends OvsdbError {
  readonly code = 'ovsdb-unsendable';
  constructor(
    readonly method: string,
    readonly path: string,
  ) {
    super(
      `OVSDB "${method}" was not sent: params${path} holds a NUL byte or an unpaired UTF-16 surrogate, which ovsdb-server cannot ` +
        'parse (it drops the connection on them)',
    );
  }
}
