// The power side of a coordinator, built once the VM side exists (the lxd driver reaches instances
// through the composer): the drivers the deps make, wrapped so that every call, whoever makes it,
// is counted and timed and keeps the machine's recorded power state current.
import type { CoordinatorConfig } from '../config.js';
import type { Clock } from '../clock.js';
import type { PowerReach, PowerSetup } from '../coordinator-deps.js';
import type { EventLog } from '../events/event-log.js';
import type { ActDeadline } from '../ha/act-deadline.js';
import type { Logger } from '../logger.js';
import type { MachineWriter } from '../machines/machine-writer.js';
import { PowerStateRecorder } from '../machines/power-state-recorder.js';
import type { CoordinatorMetrics } from '../metrics/coordinator-metrics.js';
import { observedPowerDrivers } from '../metrics/observed-power-drivers.js';
import type { Store } from '../store/store.js';
import { defaultPowerDrivers } from './default-drivers.js';
import type { LxdPowerChannel } from './lxd-driver.js';
import { recordManualRequest } from './manual-request-event.js';
import type { PowerDrivers } from './power-driver.js';

export interface PowerPartsDeps {
  /** Builds the drivers from what they reach into (CoordinatorDeps.power). */
  readonly power: (reach: PowerReach) => PowerSetup;
  readonly lxd: LxdPowerChannel;
  readonly actUntil: ActDeadline;
  readonly store: Store;
  readonly writer: MachineWriter;
  readonly events: EventLog;
  readonly metrics: CoordinatorMetrics;
  readonly logger: Logger;
}

export interface PowerParts {
  /** What the deps built: closed by the coordinator's close(). */
  readonly setup: PowerSetup;
  /** The drivers every caller uses: observed and recorded. */
  readonly drivers: PowerDrivers;
}

export function powerParts({ power, lxd, actUntil, store, writer, events, metrics, logger }: PowerPartsDeps): PowerParts {
  const setup = power({ lxd, onManualRequest: (request) => recordManualRequest(store, events, logger, request), actUntil });
  const recorder = new PowerStateRecorder({ store, writer, logger: logger.child({ component: 'power-state' }) });
  return { setup, drivers: recorder.wrap(observedPowerDrivers(setup.drivers, metrics)) };
}

/** CoordinatorDeps.power for create(): the drivers a test gives, else the site's (IPMI, Redfish, lxd, manual). */
export function powerFactory(
  given: PowerDrivers | undefined,
  site: { readonly config: CoordinatorConfig; readonly clock: Clock; readonly logger: Logger },
): (reach: PowerReach) => PowerSetup {
  if (given) return () => ({ drivers: given, manual: null, close: () => Promise.resolve() });
  return (reach) => defaultPowerDrivers({ ...site, ...reach });
}
