// Errors of SR-IOV configuration, each naming the PF. The kernel's sriov_numvfs_store
// (drivers/pci/iov.c) answers a write with an errno; vf-count.ts turns those into these classes
// once, at the sysfs boundary, so nothing downstream matches on errno codes or messages.

import { AgentError } from '../common/agent-error.js';

/** The netdev exists but its device has no sriov_totalvfs: not an SR-IOV physical function. */
export class NotSriovPfError extends AgentError {
  readonly code = 'not-sriov-pf';
  constructor(
    readonly pf: string,
    readonly detail: string,
  ) {
    super(`${pf} is not an SR-IOV physical function: ${detail}`);
  }
}

/** Refused before writing: more VFs asked than the hardware offers (the kernel would say ERANGE). */
export class VfCountAboveTotalError extends AgentError {
  readonly code = 'vf-count-above-total';
  constructor(
    readonly pf: string,
    readonly requested: number,
    readonly totalVfs: number,
  ) {
    super(`${pf}: ${requested} VFs requested but sriov_totalvfs is ${totalVfs}`);
  }
}

/** The VF count asked for is not a whole number from 0 to 65535 (sriov_numvfs is a u16). */
export class InvalidVfCountError extends AgentError {
  readonly code = 'invalid-vf-count';
  constructor(
    readonly pf: string,
    readonly requested: number,
  ) {
    super(`${pf}: invalid VF count ${requested}: must be a whole number from 0 to 65535`);
  }
}

/** The kernel answered ERANGE although the count was checked against totalvfs (it changed, or a race). */
export class VfCountOutOfRangeError extends AgentError {
  readonly code = 'vf-count-out-of-range';
  constructor(
    readonly pf: string,
    readonly requested: number,
    options?: { cause?: unknown },
  ) {
    super(`${pf}: kernel refused ${requested} VFs as out of range (ERANGE)`, options);
  }
}

/** EBUSY: VFs are enabled and the count was not 0 first (or another writer enabled them meanwhile). */
export class VfCountBusyError extends AgentError {
  readonly code = 'vf-count-busy';
  constructor(
    readonly pf: string,
    readonly requested: number,
    options?: { cause?: unknown },
  ) {
    super(`${pf}: kernel refused ${requested} VFs because VFs are already enabled (EBUSY); disable them first`, options);
  }
}

/** ENOENT on sriov_numvfs: no PF driver bound, or a driver without sriov_configure. */
export class NoSriovDriverError extends AgentError {
  readonly code = 'no-sriov-driver';
  constructor(
    readonly pf: string,
    readonly driver: string | null,
    options?: { cause?: unknown },
  ) {
    super(
      driver === null
        ? `${pf}: no driver is bound to the PF, so VFs cannot be enabled (ENOENT)`
        : `${pf}: driver ${driver} cannot configure SR-IOV (ENOENT)`,
      options,
    );
  }
}

/** Any other failure writing an SR-IOV attribute (EINVAL, EIO, EPERM, a driver's own errno). */
export class SriovWriteError extends AgentError {
  readonly code = 'sriov-write-failed';
  constructor(
    readonly pf: string,
    readonly attribute: string,
    readonly value: string,
    /** The errno name (EINVAL, EIO...), or null. */
    readonly errno: string | null,
    options?: { cause?: unknown },
  ) {
    super(`${pf}: writing ${value} to ${attribute} failed${errno === null ? '' : ` (${errno})`}`, options);
  }
}

/** The driver enabled fewer VFs than asked and the caller asked for strictness. */
export class FewerVfsEnabledError extends AgentError {
  readonly code = 'fewer-vfs-enabled';
  constructor(
    readonly pf: string,
    readonly requested: number,
    readonly enabled: number,
  ) {
    super(`${pf}: ${requested} VFs requested but the driver enabled only ${enabled}`);
  }
}

/** The virtfn links or VF netdevs did not all appear within the wait bound. */
export class VfWaitTimeoutError extends AgentError {
  readonly code = 'vf-wait-timeout';
  constructor(
    readonly pf: string,
    readonly expected: number,
    readonly missingVirtfns: number[],
    readonly missingNetdevs: number[],
    readonly timeoutMs: number,
  ) {
    const parts: string[] = [];
    if (missingVirtfns.length > 0) parts.push(`virtfn links missing for VF ${missingVirtfns.join(',')}`);
    if (missingNetdevs.length > 0) parts.push(`netdevs missing for VF ${missingNetdevs.join(',')}`);
    super(`${pf}: ${expected} VFs not ready within ${timeoutMs} ms: ${parts.join('; ')}`);
  }
}

/** A representor reference ("pf0vf3", "c1pf0vf3", a netdev name) matched no representor. */
export class RepresentorNotFoundError extends AgentError {
  readonly code = 'representor-not-found';
  constructor(
    readonly reference: string,
    readonly detail: string,
  ) {
    super(`no representor for ${reference}: ${detail}`);
  }
}

/** A representor reference matched more than one representor (several eswitches or controllers). */
export class AmbiguousRepresentorError extends AgentError {
  readonly code = 'representor-ambiguous';
  constructor(
    readonly reference: string,
    readonly candidates: string[],
  ) {
    super(`representor reference ${reference} is ambiguous: ${candidates.join(', ')}`);
  }
}
