// Stable codes for command failures, decided once here from the error's class.

import { ConnectionClosedError, NotConnectedError, RequestTimeoutError, TransactionError } from '../ovsdb/errors.js';
import { ApplyTimeoutError, BridgeMissingError, InvalidPortSpecError, PortFailedError, PortNotOwnedError, PortOnOtherBridgeError } from '../ovs/errors.js';

const CODES: [new (...args: never[]) => Error, string][] = [
  [InvalidPortSpecError, 'INVALID_PORT'],
  [PortNotOwnedError, 'PORT_NOT_OWNED'],
  [PortOnOtherBridgeError, 'PORT_ON_OTHER_BRIDGE'],
  [BridgeMissingError, 'BRIDGE_MISSING'],
  [ApplyTimeoutError, 'APPLY_TIMEOUT'],
  [PortFailedError, 'PORT_FAILED'],
  [NotConnectedError, 'OVSDB_UNAVAILABLE'],
  [ConnectionClosedError, 'OVSDB_UNAVAILABLE'],
  [RequestTimeoutError, 'OVSDB_UNAVAILABLE'],
  [TransactionError, 'OVSDB_TRANSACTION'],
];

/** Failures that retrying the same command cannot fix. */
const PERMANENT = new Set(['INVALID_PORT', 'PORT_NOT_OWNED', 'PORT_ON_OTHER_BRIDGE', 'UNKNOWN_COMMAND']);

export function errorCodeOf(err: Error): string {
  if (err.name === 'UnknownCommandError') return 'UNKNOWN_COMMAND';
  for (const [cls, code] of CODES) if (err instanceof cls) return code;
  return 'INTERNAL';
}

export function isPermanent(code: string): boolean {
  return PERMANENT.has(code);
}
