// The base of every typed agent error. Each area's errors.ts extends it with structured fields and
// one `code` from the union below; the command executor turns codes into command results in one
// table (commands/command-errors.ts), so nothing matches on classes or names to decide an outcome.
// The shared OVSDB client's errors (proto/ovsdb/errors.ts) carry codes of their own, included here.

import { OvsdbError, type OvsdbErrorCode } from '../../../proto/ovsdb/errors.js';

export type AgentErrorCode =
  | OvsdbErrorCode
  // commands/
  | 'unknown-command'
  | 'lxd-unsupported'
  // ovs/
  | 'invalid-port'
  | 'port-not-owned'
  | 'port-on-other-bridge'
  | 'bridge-missing'
  | 'apply-timeout'
  | 'port-failed'
  | 'port-still-present'
  | 'transaction-refused'
  // sriov/
  | 'not-sriov-pf'
  | 'vf-count-above-total'
  | 'invalid-vf-count'
  | 'vf-count-out-of-range'
  | 'vf-count-busy'
  | 'no-sriov-driver'
  | 'sriov-write-failed'
  | 'fewer-vfs-enabled'
  | 'vf-wait-timeout'
  | 'representor-not-found'
  | 'representor-ambiguous'
  | 'invalid-sriov-config'
  | 'vf-setting-refused'
  | 'vf-readback-mismatch'
  | 'vf-not-found'
  | 'eswitch-mode-refused'
  | 'eswitch-unsupported'
  | 'tool-missing'
  | 'tool-timeout'
  | 'tool-failed'
  | 'tool-output'
  | 'sriov-reconcile-failed'
  // lxd/
  | 'lxd-refused'
  | 'lxd-operation-failed'
  | 'lxd-unavailable'
  | 'lxd-protocol'
  | 'lxd-not-assigned'
  | 'lxd-already-assigned'
  | 'lxd-not-found'
  | 'lxd-invalid'
  | 'lxd-credentials'
  // inventory/, status/, link/, state/: failures of the daemon itself, never of a command
  | 'inventory-timeout'
  | 'ovs-not-synced'
  | 'status-listen'
  | 'status-option'
  | 'enrollment-refused'
  | 'agent-data-dir-damaged';

export abstract class AgentError extends Error {
  abstract readonly code: AgentErrorCode;

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The code of a typed agent or OVSDB client error; null for anything else (unexpected). */
export function agentErrorCodeOf(err: unknown): AgentErrorCode | null {
  return err instanceof AgentError || err instanceof OvsdbError ? err.code : null;
}
