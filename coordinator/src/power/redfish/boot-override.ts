// Sets the next boot device: PATCH the system's Boot object with If-Match: <ETag from the GET>
// (DSP0266). A 412 means the resource changed since the GET: GET again and retry. A weak ETag
// (W/"...", handed out by BMCs that compress) is handled as sushy does: sent as is, then converted
// to a strong one, and as a last resort the PATCH goes without If-Match.
import type { Logger } from '../../logger.js';
import { RedfishBmcError, RedfishUnsupportedError } from '../errors.js';
import type { BootRequest } from '../power-driver.js';
import type { BmcConnection, CallContext } from './bmc-connection.js';
import { bootPatch, overrideInPlace, parseComputerSystem, type BootPatch, type ComputerSystem } from './computer-system.js';

const ROUNDS = 3;

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

export async function setBootOverride(
  connection: BmcConnection,
  systemPath: string,
  request: BootRequest,
  context: CallContext,
  logger: Logger,
): Promise<void> {
  const bmc = connection.bmc;
  let lastEtag: string | null = null;
  let patch: BootPatch | null = null;
  for (let round = 1; round <= ROUNDS; round++) {
    const { body, etag } = await connection.getJson(systemPath, context);
    const system = parseComputerSystem(body, etag);
    patch = bootPatch(request, system);
    checkAllowed(bmc, patch, system);
    if (overrideInPlace(patch, system)) {
      logger.info({ bmc, system: systemPath, boot: patch }, 'redfish boot override already in place');
      return;
    }
    lastEtag = system.etag;
    for (const ifMatch of ifMatchCandidates(system.etag)) {
      const response = await connection.call('PATCH', systemPath, context, { body: { Boot: patch }, ifMatch, pass: [412] });
      if (response.status !== 412) {
        logger.info({ bmc, system: systemPath, boot: patch, status: response.status }, 'redfish boot override set');
        return;
      }
      logger.info({ bmc, system: systemPath, ifMatch, round }, 'redfish PATCH precondition failed (412)');
    }
  }
  if (patch !== null && lastEtag?.startsWith('W/')) {
    // sushy's last resort for BMCs whose weak ETags never match.
    await connection.call('PATCH', systemPath, context, { body: { Boot: patch } });
    logger.warn({ bmc, system: systemPath, boot: patch }, 'redfish boot override set without If-Match (weak ETags never matched)');
    return;
  }
  throw new RedfishBmcError(bmc, `PATCH ${systemPath}`, 412, null, [`If-Match failed ${ROUNDS} times: the system kept changing`]);
}
