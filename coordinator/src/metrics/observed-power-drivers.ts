// Power drivers whose every call is counted and timed by driver and operation. It wraps what
// the coordinator was given (bounded drivers, or a test's own), so the time includes the wait
// for a free slot: what an operator feels when BMC calls back up.
import type { PowerDriverName } from '../machines/machine.js';
import { PowerDrivers, type PowerDriver } from '../power/power-driver.js';
import type { CoordinatorMetrics, PowerOperation } from './coordinator-metrics.js';

/** `drivers`, each call of which reports to `metrics` when it settles. */
export class ObservedPowerDrivers extends PowerDrivers {
  private readonly observed = new Map<PowerDriverName, PowerDriver>();

  constructor(
    private readonly inner: PowerDrivers,
    private readonly metrics: CoordinatorMetrics,
  ) {
    super([]);
  }

  override get(name: PowerDriverName): PowerDriver {
    let driver = this.observed.get(name);
    if (!driver) {
      driver = observe(this.inner.get(name), this.metrics); // throws PowerDriverUnavailableError as before
      this.observed.set(name, driver);
    }
    return driver;
  }
}

function observe(driver: PowerDriver, metrics: CoordinatorMetrics): PowerDriver {
  const timed = async <T>(operation: PowerOperation, call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    let failed = true;
    try {
      const result = await call();
      failed = false;
      return result;
    } finally {
      metrics.powerCall(driver.name, operation, failed, (performance.now() - started) / 1000);
    }
  };
  return {
    name: driver.name,
    ...(driver.callTimeoutMs === undefined ? {} : { callTimeoutMs: driver.callTimeoutMs }),
    queryState: (target, signal) => timed('queryState', () => driver.queryState(target, signal)),
    powerOn: (target, signal) => timed('powerOn', () => driver.powerOn(target, signal)),
    powerOff: (target, signal) => timed('powerOff', () => driver.powerOff(target, signal)),
    powerCycle: (target, signal) => timed('powerCycle', () => driver.powerCycle(target, signal)),
    setBootDevice: (target, boot, signal) => timed('setBootDevice', () => driver.setBootDevice(target, boot, signal)),
  };
}
