// The power drivers a coordinator serves with unless told otherwise: ipmi (ipmitool over
// lanplus), redfish, lxd (through VM host agents) and manual. The BMC drivers have bounded
// concurrency so a thousand deploys do not open a thousand BMC sessions at once.
import type { ActDeadline } from '../ha/act-deadline.js';
import type { Clock } from '../clock.js';
import type { CoordinatorConfig } from '../config.js';
import type { Logger } from '../logger.js';
import { boundedDriver } from './bounded-drivers.js';
import { ipmiDriver } from './ipmi/ipmi-driver.js';
import { launcherRunner } from './ipmi/ipmitool-runner.js';
import { lxdPowerDriver, type LxdPowerChannel } from './lxd-driver.js';
import { ManualPowerDriver, type ManualRequest } from './manual-driver.js';
import { PowerDrivers } from './power-driver.js';
import { redfishDriver } from './redfish/redfish-driver.js';

export interface DefaultPowerDrivers {
  drivers: PowerDrivers;
  manual: ManualPowerDriver;
  /** Logs out Redfish sessions and closes BMC connections. */
  close(): Promise<void>;
}

export interface DefaultPowerDriversDeps {
  readonly config: CoordinatorConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Records what an operator must do (the manual driver's requests). */
  readonly onManualRequest: (r: ManualRequest) => void;
  /** lxd_power through the VM hosts' agents (the lxd driver). */
  readonly lxd: LxdPowerChannel;
  /** Until when the coordinator may act (ha/act-deadline.ts): no ipmitool command reaches a BMC past it. */
  readonly actUntil?: ActDeadline;
}

/**
 * BMC drivers are bounded; the manual driver is not (operators work through their requests, and a
 * queue in front of them would only hide requests). Building them starts nothing: the ipmitool
 * worker starts with the first call, BMC connections with the first request.
 */
export function defaultPowerDrivers({
  config,
  clock,
  logger,
  onManualRequest,
  lxd,
  actUntil,
}: DefaultPowerDriversDeps): DefaultPowerDrivers {
  const log = logger.child({ component: 'power' });
  const redfish = redfishDriver({
    // What a machine whose Redfish TLS setting is 'default' gets: the coordinator's redfishCaFile / redfishInsecure.
    ...(config.redfishTls.verify === 'ca-file' ? { caFile: config.redfishTls.caFile } : {}),
    ...(config.redfishTls.verify === 'off' ? { insecure: true } : {}),
    logger: log.child({ driver: 'redfish' }),
    clock,
    pollIntervalMs: 500,
    settleTimeoutMs: config.powerTimeoutMs,
  });
  // ipmitool starts from the process launcher, never by forking the coordinator (whose fork would
  // stall the event loop for longer the larger its fleet). Chassis commands share one long-lived
  // session per BMC (a deploy sets up one, not eleven). A session's keep-alive timer may fire
  // before the lease watchdog after a pause, so every command and keep-alive asks the deadline.
  const ipmitool = launcherRunner({ sessionIdleMs: config.ipmiSessionIdleMs, ...(actUntil ? { mayAct: () => actUntil.allows() } : {}) });
  const ipmi = ipmiDriver({ logger: log.child({ driver: 'ipmi' }), clock, runner: ipmitool.run, sessions: ipmitool.runInSession });
  const manual = new ManualPowerDriver(onManualRequest, config.agentSessionTimeoutMs);
  const drivers = new PowerDrivers([
    boundedDriver(ipmi, config.powerConcurrency),
    boundedDriver(redfish, config.powerConcurrency),
    lxdPowerDriver(lxd),
    manual,
  ]);
  return { drivers, manual, close: async () => void (await Promise.all([redfish.close(), ipmitool.close()])) };
}
