// What a failed command answers the coordinator, decided once here from the error's code
// (common/agent-error.ts). The result codes are a stable wire vocabulary: the coordinator, the CLI
// and operators' scripts see them, so an agent code may be added or renamed but a result code not.
// Permanent failures are those re-sending the same command cannot fix: they are stored with the
// command id (a repeated id is answered from the store) and undo the desired-state change.

import { agentErrorCodeOf, type AgentErrorCode } from '../common/agent-error.js';
import { LxdApiError, LxdOperationError } from '../lxd/errors.js';

export interface CommandFailure {
  /** The result's errorCode, e.g. PORT_NOT_OWNED. */
  errorCode: string;
  permanent: boolean;
}

const permanent = (errorCode: string): CommandFailure => ({ errorCode, permanent: true });
const transient = (errorCode: string): CommandFailure => ({ errorCode, permanent: false });

/** Anything without a code is unexpected: answered INTERNAL, and a re-sent command tries again. */
const UNEXPECTED = transient('INTERNAL');

const FAILURES: Record<AgentErrorCode, CommandFailure> = {
  'unknown-command': permanent('UNKNOWN_COMMAND'),
  'lxd-unsupported': permanent('LXD_UNSUPPORTED'),

  'invalid-port': permanent('INVALID_PORT'),
  'port-not-owned': permanent('PORT_NOT_OWNED'),
  'port-on-other-bridge': permanent('PORT_ON_OTHER_BRIDGE'),
  'bridge-missing': transient('BRIDGE_MISSING'),
  'apply-timeout': transient('APPLY_TIMEOUT'),
  'port-failed': transient('PORT_FAILED'),
  'port-still-present': UNEXPECTED,

  'ovsdb-not-connected': transient('OVSDB_UNAVAILABLE'),
  'ovsdb-connection-closed': transient('OVSDB_UNAVAILABLE'),
  'ovsdb-request-timeout': transient('OVSDB_UNAVAILABLE'),
  // What ovsdb-server refuses for its content, whether it says so or drops the connection.
  'ovsdb-transaction-refused': permanent('OVSDB_REFUSED'),
  'transaction-refused': permanent('OVSDB_REFUSED'),
  'ovsdb-unsendable': permanent('OVSDB_REFUSED'),
  'ovsdb-transaction-failed': transient('OVSDB_TRANSACTION'),
  'ovsdb-protocol': UNEXPECTED,
  'ovsdb-rpc-failed': UNEXPECTED,
  'ovsdb-client-closed': UNEXPECTED,
  'ovsdb-schema': UNEXPECTED,

  'invalid-sriov-config': permanent('INVALID_SRIOV_CONFIG'),
  'invalid-vf-count': permanent('INVALID_SRIOV_CONFIG'),
  'not-sriov-pf': transient('NOT_SRIOV_PF'),
  'vf-count-above-total': permanent('VF_COUNT_ABOVE_TOTAL'),
  'vf-count-out-of-range': permanent('VF_COUNT_ABOVE_TOTAL'),
  'vf-count-busy': transient('VF_COUNT_BUSY'),
  'no-sriov-driver': transient('NO_SRIOV_DRIVER'),
  'fewer-vfs-enabled': transient('FEWER_VFS_ENABLED'),
  'vf-wait-timeout': transient('VF_WAIT_TIMEOUT'),
  'sriov-write-failed': transient('SRIOV_WRITE_FAILED'),
  'vf-not-found': transient('VF_NOT_FOUND'),
  'vf-setting-refused': transient('VF_SETTING_REFUSED'),
  'vf-readback-mismatch': transient('VF_READBACK_MISMATCH'),
  'eswitch-mode-refused': transient('ESWITCH_MODE_REFUSED'),
  'eswitch-unsupported': transient('ESWITCH_UNSUPPORTED'),
  'representor-not-found': permanent('REPRESENTOR_NOT_FOUND'),
  'representor-ambiguous': permanent('REPRESENTOR_AMBIGUOUS'),
  'tool-missing': transient('TOOL_MISSING'),
  'tool-timeout': transient('TOOL_TIMEOUT'),
  'tool-failed': transient('TOOL_FAILED'),
  'tool-output': transient('TOOL_FAILED'),
  // A reconcile takes the code of its first failure; this one is left when that was untyped.
  'sriov-reconcile-failed': UNEXPECTED,

  'lxd-invalid': permanent('LXD_INVALID'),
  'lxd-not-assigned': permanent('LXD_NOT_ASSIGNED'),
  'lxd-already-assigned': permanent('LXD_ASSIGNED'),
  'lxd-not-found': permanent('LXD_NOT_FOUND'),
  'lxd-refused': permanent('LXD_ERROR'),
  'lxd-operation-failed': permanent('LXD_ERROR'),
  'lxd-protocol': transient('LXD_PROTOCOL'),
  'lxd-unavailable': transient('LXD_UNAVAILABLE'),
  'lxd-credentials': transient('LXD_UNAVAILABLE'),

  // Failures of the daemon around the commands; none is thrown while one runs.
  'inventory-timeout': UNEXPECTED,
  'ovs-not-synced': UNEXPECTED,
  'status-listen': UNEXPECTED,
  'status-option': UNEXPECTED,
  'enrollment-refused': UNEXPECTED,
  'agent-data-dir-damaged': UNEXPECTED,
};

export function commandFailureOf(err: unknown): CommandFailure {
  const code = agentErrorCodeOf(err);
  return code === null ? UNEXPECTED : FAILURES[code];
}

/** LXD's own message when LXD refused (an error envelope or a failed operation); empty otherwise. */
export function lxdErrorOf(err: Error): string {
  return err instanceof LxdApiError || err instanceof LxdOperationError ? err.lxdMessage : '';
}
