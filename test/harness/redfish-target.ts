// What the Redfish driver tests hand the driver besides the BMC simulation: a machine pointing at
// the simulation, and a logger whose lines the test reads.
import { createLogger, type Logger } from '../../coordinator/src/logger.js';
import type { RedfishTls } from '../../coordinator/src/machines/machine.js';
import type { PowerTarget } from '../../coordinator/src/power/power-driver.js';
import { powerTarget } from './power-target.js';

/** A machine whose power settings point at `address` with the redfish driver, as a PowerTarget. */
export function redfishTarget(
  address: string,
  user = 'admin',
  password: string | null = 'bmc-secret-pw',
  redfishTls: RedfishTls = { verify: 'default' },
  id = 'm-redfish-1',
): PowerTarget {
  return powerTarget(
    id,
    'node-1',
    {
      driver: 'redfish',
      address,
      user,
      passwordFile: null,
      hasPassword: password !== null,
      bootMode: 'uefi',
      ipmiCipherSuite: null,
      redfishTls,
    },
    password,
  );
}

/** A trace-level coordinator logger whose lines are kept in `lines`. */
export function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('trace', { write: (line: string) => void lines.push(line) }), lines };
}
