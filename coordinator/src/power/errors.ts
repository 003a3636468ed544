// Errors of the power area.
import { DomainError } from '../domain-error.js';
import type { PowerDriverName } from '../machines/machine.js';

export class PowerDriverUnavailableError extends Error {
  constructor(readonly driver: PowerDriverName) {
    super(`no ${driver} power driver is available in this coordinator`);
    this.name = 'PowerDriverUnavailableError';
  }
}

export class PowerQueryTimeoutError extends Error {
  constructor(
    readonly driver: PowerDriverName,
    readonly timeoutMs: number,
  ) {
    super(`the ${driver} power driver did not answer within ${timeoutMs} ms`);
    this.name = 'PowerQueryTimeoutError';
  }
}

// Redfish (power/redfish). Each names the BMC by its base URL (never a credential) and carries what
// the BMC said, parsed once at the boundary.

/** The machine's Redfish power address is not a usable BMC URL. */
export class RedfishAddressError extends DomainError {
  readonly kind = 'invalid-argument';

  constructor(
    readonly address: string,
    readonly problem: string,
  ) {
    super(`power.address ${JSON.stringify(address)}: ${problem}`);
  }
}

/** The BMC refused the configured credentials: 401/403 on login, on basic auth, or after a re-login. */
export class RedfishAuthError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly bmc: string,
    readonly user: string,
    readonly status: number,
  ) {
    super(`Redfish BMC ${bmc} refused user ${JSON.stringify(user)} (HTTP ${status}): check the machine's power user and password`);
  }
}

/** A resource the driver needs is not on the BMC (404). */
export class RedfishNotFoundError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly bmc: string,
    readonly path: string,
  ) {
    super(`Redfish BMC ${bmc} has no ${path} (HTTP 404)`);
  }
}

/** The BMC answered with an error; `messages` are its @Message.ExtendedInfo messages. */
export class RedfishBmcError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly bmc: string,
    readonly request: string,
    readonly status: number,
    readonly code: string | null,
    readonly messages: readonly string[],
  ) {
    const detail = messages.length > 0 ? messages.join('; ') : (code ?? 'no error message');
    super(`Redfish BMC ${bmc} answered ${request} with HTTP ${status}: ${detail}`);
  }
}

/** The BMC does not allow a value the operation needs (from @Redfish.AllowableValues). */
export class RedfishUnsupportedError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly bmc: string,
    readonly property: string,
    readonly value: string,
    readonly allowed: readonly string[],
  ) {
    super(`Redfish BMC ${bmc} does not allow ${property} ${value} (allowed: ${allowed.join(', ') || 'none'})`);
  }
}

/** The BMC's answer does not have the shape DMTF's schema gives it (or no single system to drive). */
export class RedfishProtocolError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly bmc: string,
    readonly problem: string,
  ) {
    super(`Redfish BMC ${bmc}: ${problem}`);
  }
}

/** TLS to the BMC failed verification; not retried. */
export class RedfishTlsError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly bmc: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`TLS to Redfish BMC ${bmc} failed (${code}): give the BMC's CA file, or use insecure mode in a lab`, options);
  }
}

/** The caller's deadline passed before the BMC answered; `lastProblem` is the last transient failure. */
export class RedfishUnavailableError extends DomainError {
  readonly kind = 'deadline-exceeded';

  constructor(
    readonly bmc: string,
    readonly request: string,
    readonly attempts: number,
    readonly lastProblem: string | null,
    options?: { cause?: unknown },
  ) {
    super(
      `Redfish BMC ${bmc} did not complete ${request} before the deadline (${attempts} attempts${lastProblem ? `, last: ${lastProblem}` : ''})`,
      options,
    );
  }
}

/** PowerState did not settle to the wanted state in time. */
export class RedfishSettleTimeoutError extends DomainError {
  readonly kind = 'deadline-exceeded';

  constructor(
    readonly bmc: string,
    readonly wanted: string,
    readonly last: string | null,
    readonly timeoutMs: number,
  ) {
    super(`Redfish BMC ${bmc}: PowerState did not reach ${wanted} within ${timeoutMs} ms (last seen: ${last ?? 'nothing'})`);
  }
}
