// The power drivers a coordinator serves with unless told otherwise: ipmi (ipmitool over
// lanplus), redfish, and manual, each with bounded concurrency so a thousand deploys do not open
// a thousand BMC sessions at once.
import type { CoordinatorConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { boundedPowerDrivers } from './bounded-drivers.js';
import { ipmiDriver } from './ipmi/ipmi-driver.js';
import { manualPowerDriver, type PowerDrivers } from './power-driver.js';
import { redfishDriver } from './redfish/redfish-driver.js';

export interface DefaultPowerDrivers {
  drivers: PowerDrivers;
  /** Logs out Redfish sessions and closes BMC connections. */
  close(): Promise<void>;
}

export function defaultPowerDrivers(config: CoordinatorConfig, logger: Logger): DefaultPowerDrivers {
  const log = logger.child({ component: 'power' });
  const redfish = redfishDriver({ logger: log.child({ driver: 'redfish' }), pollIntervalMs: 500, settleTimeoutMs: config.powerTimeoutMs });
  const drivers = boundedPowerDrivers([ipmiDriver({ logger: log.child({ driver: 'ipmi' }) }), redfish, manualPowerDriver], {}, config.powerConcurrency);
  return { drivers, close: () => redfish.close() };
}
