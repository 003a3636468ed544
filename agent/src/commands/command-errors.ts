// Stable codes for command failures, decided once here from the error's class.

import { ConnectionClosedError, NotConnectedError, RequestTimeoutError, TransactionError, UnsendableRequestError } from '../../../proto/ovsdb/errors.js';
import { LxdAlreadyAssignedError, LxdApiError, LxdCredentialsError, LxdInvalidError, LxdNotAssignedError, LxdNotFoundError, LxdOperationError, LxdProtocolError, LxdUnavailableError } from '../lxd/errors.js';
import { ApplyTimeoutError, BridgeMissingError, InvalidPortSpecError, PortFailedError, PortNotOwnedError, PortOnOtherBridgeError, TransactionRefusedError } from '../ovs/errors.js';
import { SriovReconcileError } from '../sriov/sriov-controller.js';
import { SRIOV_ERROR_CODES, SRIOV_PERMANENT_CODES } from '../sriov/sriov-error-codes.js';

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
  // What ovsdb-server refuses for its content, whether it says so or drops the connection.
  [TransactionRefusedError, 'OVSDB_REFUSED'],
  [UnsendableRequestError, 'OVSDB_REFUSED'],
  [TransactionError, 'OVSDB_TRANSACTION'],
  ...SRIOV_ERROR_CODES,
  [LxdInvalidError, 'LXD_INVALID'],
  [LxdNotAssignedError, 'LXD_NOT_ASSIGNED'],
  [LxdAlreadyAssignedError, 'LXD_ASSIGNED'],
  [LxdNotFoundError, 'LXD_NOT_FOUND'],
  [LxdApiError, 'LXD_ERROR'],
  [LxdOperationError, 'LXD_ERROR'],
  [LxdProtocolError, 'LXD_PROTOCOL'],
  [LxdUnavailableError, 'LXD_UNAVAILABLE'],
  [LxdCredentialsError, 'LXD_UNAVAILABLE'],
];

/** Failures that retrying the same command cannot fix. */
const PERMANENT = new Set([
  'INVALID_PORT',
  'PORT_NOT_OWNED',
  'PORT_ON_OTHER_BRIDGE',
  'OVSDB_REFUSED',
  'UNKNOWN_COMMAND',
  ...SRIOV_PERMANENT_CODES,
  'LXD_UNSUPPORTED',
  'LXD_INVALID',
  'LXD_NOT_ASSIGNED',
  'LXD_ASSIGNED',
  'LXD_NOT_FOUND',
  'LXD_ERROR',
]);

export function errorCodeOf(err: Error): string {
  if (err.name === 'UnknownCommandError') return 'UNKNOWN_COMMAND';
  if (err.name === 'LxdUnsupportedError') return 'LXD_UNSUPPORTED';
  // A reconcile's code is that of its first failure.
  if (err instanceof SriovReconcileError && err.errors[0]) return errorCodeOf(err.errors[0]);
  if (err instanceof TransactionError && err.refusesContent) return 'OVSDB_REFUSED';
  for (const [cls, code] of CODES) if (err instanceof cls) return code;
  return 'INTERNAL';
}

export function isPermanent(code: string): boolean {
  return PERMANENT.has(code);
}

/** LXD's own message when LXD refused (an error envelope or a failed operation); empty otherwise. */
export function lxdErrorOf(err: Error): string {
  return err instanceof LxdApiError || err instanceof LxdOperationError ? err.lxdMessage : '';
}
