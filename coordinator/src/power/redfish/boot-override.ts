// Sets the next boot device: PATCH the system's Boot object with If-Match: <ETag from the GET>
// (DSP0266). A 412 means the resource changed since the GET: GET again and retry. A weak ETag
// (W/"...", handed out by BMCs that compress) is handled as sushy does: sent as is, then converted
// to a strong one, and as a last resort the PATCH goes without If-Match.
// Two BMC behaviours are followed as Ironic/sushy follow them:
// - a system with @Redfish.Settings takes the change on its SettingsObject (with that resource's
//   own ETag), applied at the next reset (DSP0266 "Settings resource");
// - where Continuous is not allowed (missing from BootSourceOverrideEnabled@Redfish.AllowableValues,
//   or refused with 400), a persistent request is set as Once; the driver sets it again before
//   every power-on and restart (Ironic's redfish management does the same).
import type { Logger } from '../../logger.js';
import { RedfishBmcError, RedfishUnsupportedError } from '../errors.js';
import type { BootRequest } from '../power-driver.js';
import type { BmcConnection, CallContext } from './bmc-connection.js';
import { bootPatch, overrideInPlace, parseComputerSystem, type BootPatch, type ComputerSystem } from './computer-system.js';

const ROUNDS = 3;

/** How the override went on: `once-for-persistent` when Continuous was asked for but Once was set. */
export type BootOverrideOutcome = 'as-requested' | 'once-for-persistent';

function ifMatchCandidates(etag: string | null): readonly (string | null)[] {
  if (etag === null) return [null];
  return etag.startsWith('W/') ? [etag, etag.slice(2)] : [etag];
}

function checkAllowed(bmc: string, patch: BootPatch, system: ComputerSystem): void {
  const checks: [string, string | undefined, readonly string[] | null][] = [
    ['BootSourceOverrideTarget', patch.BootSourceOverrideTarget, system.boot.allowedTargets],
    ['BootSourceOverrideEnabled', patch.BootSourceOverrideEnabled, system.boot.allowedEnabled],
    ['BootSourceOverrideMode', patch.BootSourceOverrideMode, system.boot.allowedModes],
  ];
  for (const [property, value, allowed] of checks) {
    if (value !== undefined && allowed !== null && !allowed.includes(value)) {
      throw new RedfishUnsupportedError(bmc, property, value, allowed);
    }
  }
}

/** Continuous is not in the BMC's allowed values, but Once is. */
function continuousDisallowed(system: ComputerSystem): boolean {
  const allowed = system.boot.allowedEnabled;
  return allowed !== null && !allowed.includes('Continuous') && allowed.includes('Once');
}

export async function setBootOverride(
  connection: BmcConnection,
  systemPath: string,
  request: BootRequest,
  context: CallContext,
  logger: Logger,
): Promise<BootOverrideOutcome> {
  try {
    return await patchBoot(connection, systemPath, request, context, logger, false);
  } catch (error) {
    // A BMC that refuses Continuous without saying so in AllowableValues answers 400.
    if (!request.persistent || !(error instanceof RedfishBmcError) || error.status !== 400) throw error;
    logger.warn({ bmc: connection.bmc, system: systemPath, err: error }, 'redfish BMC refused Continuous: setting the boot override Once');
    return patchBoot(connection, systemPath, request, context, logger, true);
  }
}

async function patchBoot(
  connection: BmcConnection,
  systemPath: string,
  request: BootRequest,
  context: CallContext,
  logger: Logger,
  forceOnce: boolean,
): Promise<BootOverrideOutcome> {
  const bmc = connection.bmc;
  let lastEtag: string | null = null;
  let patch: BootPatch | null = null;
  let path = systemPath;
  let outcome: BootOverrideOutcome = 'as-requested';
  for (let round = 1; round <= ROUNDS; round++) {
    const read = await connection.getJson(systemPath, context);
    const system = parseComputerSystem(read.body, read.etag);
    patch = bootPatch(request, system);
    if (request.persistent && (forceOnce || continuousDisallowed(system))) {
      if (!forceOnce) logger.warn({ bmc, system: systemPath }, 'redfish BMC does not allow Continuous: setting the boot override Once');
      patch = { ...patch, BootSourceOverrideEnabled: 'Once' };
      outcome = 'once-for-persistent';
    }
    checkAllowed(bmc, patch, system);
    if (overrideInPlace(patch, system)) {
      logger.info({ bmc, system: systemPath, boot: patch }, 'redfish boot override already in place');
      return outcome;
    }
    let etag = system.etag;
    if (system.settingsObject !== null) {
      // The pending settings have an ETag of their own.
      path = system.settingsObject;
      etag = (await connection.getJson(path, context)).etag;
    }
    lastEtag = etag;
    for (const ifMatch of ifMatchCandidates(etag)) {
      const response = await connection.call('PATCH', path, context, { body: { Boot: patch }, ifMatch, pass: [412] });
      if (response.status !== 412) {
        const applied = path === systemPath ? 'set' : 'set on the settings object (applied at the next reset)';
        logger.info({ bmc, system: systemPath, path, boot: patch, status: response.status }, `redfish boot override ${applied}`);
        return outcome;
      }
      logger.info({ bmc, system: systemPath, path, ifMatch, round }, 'redfish PATCH precondition failed (412)');
    }
  }
  if (patch !== null && lastEtag?.startsWith('W/')) {
    // sushy's last resort for BMCs whose weak ETags never match.
    await connection.call('PATCH', path, context, { body: { Boot: patch } });
    logger.warn({ bmc, system: systemPath, path, boot: patch }, 'redfish boot override set without If-Match (weak ETags never matched)');
    return outcome;
  }
  throw new RedfishBmcError(bmc, `PATCH ${path}`, 412, null, [`If-Match failed ${ROUNDS} times: the system kept changing`]);
}
