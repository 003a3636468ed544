// One bounded call to a machine's power driver: the driver for its settings, the password read
// at call time, the power state the caller knows (if any), and an AbortSignal that fires (and a typed timeout error) after timeoutMs.
import type { Machine } from '../machines/machine.js';
import type { SecretTable } from '../store/secret-table.js';
import { PowerQueryTimeoutError } from './errors.js';
import type { PowerDriver, PowerDrivers, PowerTarget } from './power-driver.js';

export async function callPower<T>(
  drivers: PowerDrivers,
  secrets: SecretTable,
  machine: Machine,
  timeoutMs: number,
  call: (driver: PowerDriver, target: PowerTarget, signal: AbortSignal) => Promise<T>,
  knownPower?: 'on' | 'off',
): Promise<T> {
  const driver = drivers.get(machine.power.driver);
  timeoutMs = driver.callTimeoutMs ?? timeoutMs;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new PowerQueryTimeoutError(machine.power.driver, timeoutMs));
    }, timeoutMs);
    timer.unref();
  });
  try {
    const target: PowerTarget = { machine, password: () => secrets.password(machine), ...(knownPower ? { knownPower } : {}) };
    return await Promise.race([call(driver, target, controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
