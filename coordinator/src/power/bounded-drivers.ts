// Bounded concurrency per power driver: a thousand deploys must not open a thousand BMC sessions
// at once. Calls past a driver's limit wait in FIFO order; a call whose signal fires while it waits
// leaves the queue with PowerSlotWaitAbortedError and never reaches the driver.
import type { PowerDriverName } from '../machines/machine.js';
import { PowerSlotWaitAbortedError } from './errors.js';
import { layeredDriver, PowerDrivers, type PowerDriver } from './power-driver.js';

export const DEFAULT_MAX_CONCURRENT_POWER_CALLS = 16;

interface Waiter {
  readonly grant: () => void;
}

/** FIFO slots: acquire() resolves with a release function once fewer than `limit` are held. */
class CallSlots {
  private held = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limit: number) {}

  /** Resolves true with a slot held, or false if `signal` fired first (no slot held then). */
  acquire(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    if (this.held < this.limit) {
      this.held++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(true);
        },
      };
      const onAbort = (): void => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter: `held` stays the same.
    if (next) next.grant();
    else this.held--;
  }
}

/** Wraps `driver` so that at most `maxConcurrent` of its calls run at once. */
export function boundedDriver(driver: PowerDriver, maxConcurrent: number = DEFAULT_MAX_CONCURRENT_POWER_CALLS): PowerDriver {
  if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
    throw new RangeError(`maxConcurrent for the ${driver.name} power driver must be a positive integer, not ${maxConcurrent}`);
  }
  const slots = new CallSlots(maxConcurrent);
  return layeredDriver(driver, async (operation, target, signal, call) => {
    if (!(await slots.acquire(signal))) {
      throw new PowerSlotWaitAbortedError(driver.name, operation, target.machine.id, maxConcurrent);
    }
    try {
      return await call();
    } finally {
      slots.release();
    }
  });
}

/** PowerDrivers whose every driver is bounded; `limits` overrides the default per driver name. */
export function boundedPowerDrivers(
  drivers: readonly PowerDriver[],
  limits: Partial<Record<PowerDriverName, number>> = {},
  defaultLimit: number = DEFAULT_MAX_CONCURRENT_POWER_CALLS,
): PowerDrivers {
  return new PowerDrivers(drivers.map((driver) => boundedDriver(driver, limits[driver.name] ?? defaultLimit)));
}
