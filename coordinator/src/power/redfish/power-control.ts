// Power through the ComputerSystem.Reset action: POST {"ResetType": ...} to
// Actions["#ComputerSystem.Reset"].target (checked against ResetType@Redfish.AllowableValues), then
// poll PowerState until it settles: PoweringOn/PoweringOff mean wait. Polling is bounded by the
// settle timeout and the caller's signal, whichever comes first.
import type { Logger } from '../../logger.js';
import { RedfishProtocolError, RedfishSettleTimeoutError, RedfishUnavailableError, RedfishUnsupportedError } from '../errors.js';
import type { BmcConnection, CallContext } from './bmc-connection.js';
import { parseComputerSystem, settledPower, type ComputerSystem, type SettledPower } from './computer-system.js';
import { waitUnlessAborted } from '../../../../proto/shared/backoff.js';

export interface PowerTiming {
  readonly pollIntervalMs: number;
  readonly settleTimeoutMs: number;
}

export async function readSystem(connection: BmcConnection, systemPath: string, context: CallContext): Promise<ComputerSystem> {
  const { body, etag } = await connection.getJson(systemPath, context);
  return parseComputerSystem(body, etag);
}

/** Polls until PowerState is settled (and is `wanted`, when given); returns the system as last read. */
export async function waitSettled(
  connection: BmcConnection,
  systemPath: string,
  context: CallContext,
  timing: PowerTiming,
  wanted: SettledPower | null,
): Promise<ComputerSystem> {
  const settleSignal = AbortSignal.any([context.signal, AbortSignal.timeout(timing.settleTimeoutMs)]);
  const polling = { credentials: context.credentials, signal: settleSignal };
  const what = wanted ?? 'On or Off';
  let last: string | null = null;
  let polls = 0;
  const expired = (): Error =>
    context.signal.aborted
      ? new RedfishUnavailableError(connection.bmc, `waiting for PowerState ${what}`, polls, last && `PowerState ${last}`)
      : new RedfishSettleTimeoutError(connection.bmc, what, last, timing.settleTimeoutMs);
  for (;;) {
    let system: ComputerSystem;
    try {
      polls++;
      system = await readSystem(connection, systemPath, polling);
    } catch (error) {
      if (settleSignal.aborted && error instanceof RedfishUnavailableError) throw expired();
      throw error;
    }
    last = system.powerState;
    const settled = settledPower(system.powerState);
    if (settled !== null && (wanted === null || settled === wanted)) return system;
    if (!(await waitUnlessAborted(timing.pollIntervalMs, settleSignal))) throw expired();
  }
}

/** The first of `preferred` that the BMC allows (all are allowed when it lists none). */
export function pickResetType(bmc: string, system: ComputerSystem, preferred: readonly string[]): string {
  const allowed = system.allowedResetTypes;
  const choice = allowed === null ? preferred[0] : preferred.find((type) => allowed.includes(type));
  if (choice === undefined) throw new RedfishUnsupportedError(bmc, 'ResetType', preferred.join(' or '), allowed ?? []);
  return choice;
}

export function allowsReset(system: ComputerSystem, type: string): boolean {
  return system.allowedResetTypes === null || system.allowedResetTypes.includes(type);
}

export async function reset(
  connection: BmcConnection,
  system: ComputerSystem,
  resetType: string,
  context: CallContext,
  logger: Logger,
): Promise<void> {
  if (system.resetTarget === null) {
    throw new RedfishProtocolError(connection.bmc, 'the system has no Actions["#ComputerSystem.Reset"].target');
  }
  const started = connection.clock.now();
  // Not resent on ambiguous failures: a ForceRestart sent twice reboots twice.
  const response = await connection.call('POST', system.resetTarget, context, { body: { ResetType: resetType }, policy: 'unsent-only' });
  logger.info(
    { bmc: connection.bmc, target: system.resetTarget, resetType, status: response.status, durationMs: connection.clock.now() - started },
    'redfish reset sent',
  );
}
