// Errors of the OVN northbound fabric. Bad input is an InvalidArgumentError naming the field
// (domain-error.ts); the rest say which row or remote was involved.

import { DomainError } from '../domain-error.js';

/** OVN_Northbound could not be reached within the bound; nothing was written. */
export class NorthboundUnavailableError extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    readonly remote: string,
    readonly waitedMs: number,
    readonly state: string,
    options?: { cause?: unknown },
  ) {
    super(`OVN northbound ${remote} is not reachable (client ${state} after waiting ${waitedMs} ms); nothing was changed`, options);
  }
}

/** Other clients changed a row a write relies on each time it was planned; nothing of it was written. */
export class NorthboundContendedError extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    readonly what: string,
    readonly row: string,
    readonly plans: number,
  ) {
    super(`${what}: ${row} in OVN northbound changed under each of ${plans + 1} plans of the write; nothing was changed, try again`);
  }
}

/** A row Mooring would create exists already and is not Mooring's (no ownership key): left alone. */
export class ForeignRowError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly table: string,
    readonly rowName: string,
  ) {
    super(`OVN northbound already has a ${table} named ${rowName} that Mooring does not own; refusing to touch it`);
  }
}

/** The network or security group an operation needs has no row in OVN (ensure it first). */
export class FabricRowMissingError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly what: 'network' | 'security group',
    readonly id: string,
    readonly field: string,
  ) {
    super(`${field}: ${what} ${id} has no ${what === 'network' ? 'Logical_Switch' : 'Port_Group'} in OVN northbound`);
  }
}

/** A security group other groups' rules name as their remote group cannot be deleted. */
export class GroupInUseError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly groupId: string,
    readonly usedBy: readonly string[],
  ) {
    super(
      `security group ${groupId} is the remote group of rules in security group(s) ${usedBy.join(', ')}; delete or change those ` +
        'rules first',
    );
  }
}

/** OVN did not report the port up in time. */
export class PortUpTimeoutError extends DomainError {
  readonly kind = 'deadline-exceeded';
  constructor(
    readonly lspName: string,
    readonly timeoutMs: number,
    readonly chassis: string | undefined,
    readonly exists: boolean,
  ) {
    const why = !exists
      ? 'the port does not exist in OVN northbound'
      : chassis
        ? `chassis ${chassis} claimed it but it is not up`
        : 'no chassis claimed it';
    super(`OVN did not report port ${lspName} up within ${timeoutMs} ms (${why})`);
  }
}

/** The caller aborted a wait. */
export class PortWaitAbortedError extends DomainError {
  readonly kind = 'cancelled';
  constructor(
    readonly lspName: string,
    options?: { cause?: unknown },
  ) {
    super(`waiting for OVN to report port ${lspName} up was aborted`, options);
  }
}

/** Removing the switch would take ports with it that Mooring does not own. */
export class SwitchHoldsForeignPortsError extends DomainError {
  readonly kind = 'failed-precondition';
  constructor(
    readonly networkId: string,
    readonly switchName: string,
    readonly foreignPorts: number,
  ) {
    super(`network ${networkId}: Logical_Switch ${switchName} holds ${foreignPorts} port(s) Mooring does not own; not deleting it`);
  }
}
