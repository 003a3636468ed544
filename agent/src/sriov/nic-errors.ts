// Errors of per-VF configuration, eswitch mode and desired SR-IOV state, each naming the PF (and
// the VF where there is one). Tool failures (tool-runner.ts) become these at the ip/devlink
// boundary, so the reconciler and the command codes never look at stderr.

import { AgentError } from '../common/agent-error.js';

/** The desired SR-IOV configuration is malformed: nothing of it was applied. */
export class InvalidSriovConfigError extends AgentError {
  readonly code = 'invalid-sriov-config';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`invalid SR-IOV configuration: ${field} ${problem}`);
  }
}

/** `ip link set PF vf N ...` (or devlink hw_addr) refused one setting of one VF. */
export class VfSettingRefusedError extends AgentError {
  readonly code = 'vf-setting-refused';
  constructor(
    readonly pf: string,
    readonly vf: number,
    readonly setting: string,
    readonly reason: string,
    readonly errno: string | null,
    options?: { cause?: unknown },
  ) {
    super(`${pf} VF ${vf}: ${setting} refused: ${reason}${errno ? ` (${errno})` : ''}`, options);
  }
}

/** The VF's settings read back (ip -j -d link show) differ from what was set. */
export class VfReadbackMismatchError extends AgentError {
  readonly code = 'vf-readback-mismatch';
  constructor(
    readonly pf: string,
    readonly vf: number,
    readonly differences: string[],
  ) {
    super(`${pf} VF ${vf}: read back differs from what was set: ${differences.join('; ')}`);
  }
}

/** The VF is not listed by the PF (index at or above the enabled count). */
export class VfNotFoundError extends AgentError {
  readonly code = 'vf-not-found';
  constructor(
    readonly pf: string,
    readonly vf: number,
    readonly enabled: number,
  ) {
    super(`${pf} has no VF ${vf}: ${enabled} VFs are enabled`);
  }
}

/** The driver refused an eswitch mode change (devlink dev eswitch set). */
export class EswitchModeRefusedError extends AgentError {
  readonly code = 'eswitch-mode-refused';
  constructor(
    readonly pf: string,
    readonly pciAddress: string,
    readonly mode: string,
    readonly reason: string,
    readonly errno: string | null,
    options?: { cause?: unknown },
  ) {
    super(`${pf} (pci/${pciAddress}): the driver refused eswitch mode ${mode}: ${reason}${errno ? ` (${errno})` : ''}`, options);
  }
}

/** The PF has no devlink eswitch (a NIC without switchdev support, or no devlink instance). */
export class EswitchUnsupportedError extends AgentError {
  readonly code = 'eswitch-unsupported';
  constructor(
    readonly pf: string,
    readonly pciAddress: string,
    readonly reason: string,
  ) {
    super(`${pf} (pci/${pciAddress}) has no devlink eswitch: ${reason}`);
  }
}

/** A tool printed something that is not the JSON shape it documents. */
export class ToolOutputError extends AgentError {
  readonly code = 'tool-output';
  constructor(
    readonly program: string,
    readonly detail: string,
  ) {
    super(`unexpected output from ${program}: ${detail}`);
  }
}
