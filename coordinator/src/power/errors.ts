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

/** A Redfish CA file (a machine's or the coordinator's default) cannot be used. */
export class RedfishCaFileError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`Redfish CA file ${path} ${problem}`);
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
      `Redfish BMC ${bmc} did not complete ${request} before the deadline (${attempts} ` +
        `attempts${lastProblem ? `, last: ${lastProblem}` : ''})`,
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

// IPMI (power/ipmi). Each names the machine and its BMC (`host:port`, never a credential) and
// carries what ipmitool reported, parsed once at the boundary (ipmi/ipmitool-failure.ts).

/** Which machine and BMC an IPMI error is about. */
export interface IpmiErrorContext {
  readonly machineId: string;
  readonly hostname: string;
  readonly bmc: string;
}

function ipmiSubject(context: IpmiErrorContext): string {
  return `IPMI BMC ${context.bmc} of machine ${context.hostname} (${context.machineId})`;
}

/**
 * The BMC refused the coordinator's credentials (unknown user, wrong password, too little
 * privilege). FAILED_PRECONDITION, not UNAUTHENTICATED: the API caller is fine, the machine's power
 * settings are not. Never retried: BMCs lock accounts out after repeated failures.
 */
export class IpmiAuthError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly context: IpmiErrorContext,
    readonly user: string,
    readonly problem: string,
  ) {
    super(`${ipmiSubject(context)} refused user ${JSON.stringify(user)}: ${problem}; check the machine's power user and password`);
  }
}

/** The BMC refused the RMCP+ session for a reason other than credentials, usually the cipher suite. */
export class IpmiSessionRefusedError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly context: IpmiErrorContext,
    readonly cipherSuite: number,
    readonly problem: string,
  ) {
    super(`${ipmiSubject(context)} refused an RMCP+ session with cipher suite ${cipherSuite}: ${problem}`);
  }
}

/** The BMC answered a command with an error completion code (`completionCode` null: no code given). */
export class IpmiCommandError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly context: IpmiErrorContext,
    readonly command: string,
    readonly completionCode: number | null,
    readonly completion: string,
  ) {
    const code = completionCode === null ? '' : ` (completion code 0x${completionCode.toString(16).padStart(2, '0')})`;
    super(`${ipmiSubject(context)} failed ${command}: ${completion}${code}`);
  }
}

/**
 * Why an IPMI command gave up without an answer: `retries-exhausted` (every attempt failed
 * transiently), `aborted` (the caller's signal fired), `outcome-unknown` (the last attempt may have
 * been carried out and the command is not safe to send twice: a power cycle).
 */
export type IpmiGiveUpReason = 'retries-exhausted' | 'aborted' | 'outcome-unknown';

/** The BMC did not answer (or stayed busy) and the driver gave up; `reason` says why it stopped. */
export class IpmiUnavailableError extends DomainError {
  readonly kind = 'deadline-exceeded';

  constructor(
    readonly context: IpmiErrorContext,
    readonly command: string,
    readonly reason: IpmiGiveUpReason,
    readonly attempts: number,
    readonly lastProblem: string | null,
  ) {
    const why = {
      'retries-exhausted': 'gave up',
      aborted: 'was aborted by the caller',
      'outcome-unknown': 'may or may not have been carried out, so it was not resent',
    }[reason];
    const last = lastProblem ? `; last problem: ${lastProblem}` : '';
    super(`${ipmiSubject(context)}: ${command} ${why} after ${attempts} attempt${attempts === 1 ? '' : 's'}${last}`);
  }
}

/** The configured ipmitool executable cannot be run. */
export class IpmitoolNotFoundError extends DomainError {
  readonly kind = 'failed-precondition';

  constructor(
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot run ipmitool at ${path}: install the ipmitool package or fix the ipmi driver's ipmitoolPath`, options);
  }
}

// Bounded concurrency (power/bounded-drivers.ts).

/** The caller's signal fired while the call waited for one of the driver's concurrency slots. */
export class PowerSlotWaitAbortedError extends DomainError {
  readonly kind = 'deadline-exceeded';

  constructor(
    readonly driver: PowerDriverName,
    readonly operation: string,
    readonly machineId: string,
    readonly maxConcurrent: number,
  ) {
    super(`${operation} of machine ${machineId} gave up waiting for one of the ${driver} driver's ${maxConcurrent} concurrent call slots`);
  }
}

/** A manual power step was not confirmed by an operator before its deadline. */
export class ManualConfirmationAbortedError extends Error {
  constructor(
    readonly hostname: string,
    readonly action: string,
  ) {
    super(`no operator confirmed "${action}" for ${hostname} in time (moorctl machine power-confirm ${hostname} ${action})`);
    this.name = 'ManualConfirmationAbortedError';
  }
}
