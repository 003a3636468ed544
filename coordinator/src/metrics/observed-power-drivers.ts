// Power drivers whose every call is counted and timed by driver and operation. It wraps what
// the coordinator was given (bounded drivers, or a test's own), so the time includes the wait
// for a free slot: what an operator feels when BMC calls back up.
import { layeredDriver, type PowerDrivers } from '../power/power-driver.js';
import type { CoordinatorMetrics } from './coordinator-metrics.js';

/** `drivers`, each call of which reports to `metrics` when it settles. */
export function observedPowerDrivers(drivers: PowerDrivers, metrics: CoordinatorMetrics): PowerDrivers {
  return drivers.map((driver) =>
    layeredDriver(driver, async (operation, _target, _signal, call) => {
      const started = performance.now();
      let failed = true;
      try {
        const result = await call();
        failed = false;
        return result;
      } finally {
        metrics.powerCall(driver.name, operation, failed, (performance.now() - started) / 1000);
      }
    }),
  );
}
