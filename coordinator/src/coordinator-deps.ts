// What a Coordinator is built from: its dependencies, the options create() takes, and the power
// drivers' reach into parts that exist before them.
import type { CallGuardOptions } from './api/call-guard.js';
import type { ActDeadline } from './ha/act-deadline.js';
import type { Clock } from './clock.js';
import type { CoordinatorConfig } from './config.js';
import type { CoordinatorLease } from './ha/coordinator-lease.js';
import type { Logger } from './logger.js';
import type { FabricSource } from './networks/fabric-gate.js';
import type { NetworkFabric } from './networks/fabric.js';
import type { LxdPowerChannel } from './power/lxd-driver.js';
import type { ManualPowerDriver, ManualRequest } from './power/manual-driver.js';
import type { PowerDrivers } from './power/power-driver.js';
import type { Store } from './store/store.js';

/** What create() may be given instead of its defaults (tests: a manual clock, their own drivers). */
export interface CoordinatorOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly powerDrivers: PowerDrivers;
  /** The SDN carrying tenant networks; default: from config.ovnNorthbound (none: network calls fail). */
  readonly networkFabric: NetworkFabric;
  /** Export Node process metrics (CPU, memory, event-loop lag) too: the daemon, one coordinator per process. */
  readonly processMetrics: boolean;
  /** The console's built pages; default dist/console beside the compiled coordinator. */
  readonly consoleDir: string;
  /** Bounds on unauthenticated calls (api/call-guard.ts); default DEFAULT_CALL_GUARD. */
  readonly callGuard: UnauthenticatedBounds;
}

export type UnauthenticatedBounds = Pick<CallGuardOptions, 'maxUnauthenticatedCalls' | 'requestWaitMs'>;

/** The parts the power drivers reach into: they exist before the drivers are built. */
export interface PowerReach {
  /** lxd_power through the VM hosts' agent sessions (the lxd driver). */
  readonly lxd: LxdPowerChannel;
  /** Records what an operator must do by hand (the manual driver). */
  readonly onManualRequest: (request: ManualRequest) => void;
  /** Until when the coordinator may act (its lease: ha/act-deadline.ts), for drivers that call BMCs from another thread. */
  readonly actUntil?: ActDeadline;
}

export interface PowerSetup {
  readonly drivers: PowerDrivers;
  /** The manual driver, when there is one (operators confirm through it). */
  readonly manual: ManualPowerDriver | null;
  /** Ends what the drivers hold open (Redfish sessions, the BMC sessions). */
  close(): Promise<void>;
}

export interface CoordinatorDeps {
  readonly config: CoordinatorConfig;
  /** Open; the coordinator closes it in close(). */
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Builds the power drivers once what they reach into exists (called once, by the constructor). */
  readonly power: (reach: PowerReach) => PowerSetup;
  /** The SDN carrying tenant networks, or why there is none. */
  readonly network: FabricSource;
  /** Export Node process metrics too (default false). */
  readonly processMetrics?: boolean;
  /** The console's built pages (default: dist/console beside the compiled coordinator). */
  readonly consoleDir?: string;
  /** Bounds on unauthenticated calls (default DEFAULT_CALL_GUARD). */
  readonly callGuard?: UnauthenticatedBounds;
  /** The lease this coordinator lives under (default: a local one, the only coordinator on LMDB); closed in close(). */
  readonly lease?: CoordinatorLease;
}
