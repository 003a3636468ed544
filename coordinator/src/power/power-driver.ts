// Power drivers answer for a machine's BMC. This issue needs only "does the driver answer, and
// what is the power state" (commissioning); later drivers (ipmi, redfish, lxd) add power on/off
// and boot devices behind the same registry. Credentials reach a driver only through
// `PowerTarget.password()`, read from the secret table or the password file at call time.
import type { Machine, PowerDriverName, PowerState } from '../machines/machine.js';
import { PowerDriverUnavailableError } from './errors.js';

export interface PowerTarget {
  readonly machine: Machine;
  /** The BMC password, or null when none is configured. Never log it. */
  password(): Promise<string | null>;
}

export interface PowerDriver {
  readonly name: PowerDriverName;
  queryState(target: PowerTarget, signal: AbortSignal): Promise<PowerState>;
}

/** The manual driver: a person powers the machine; the coordinator cannot know its state. */
export const manualPowerDriver: PowerDriver = {
  name: 'manual',
  queryState: () => Promise.resolve('unknown'),
};

export class PowerDrivers {
  private readonly drivers: ReadonlyMap<PowerDriverName, PowerDriver>;

  constructor(drivers: readonly PowerDriver[]) {
    this.drivers = new Map(drivers.map((driver) => [driver.name, driver]));
  }

  get(name: PowerDriverName): PowerDriver {
    const driver = this.drivers.get(name);
    if (!driver) throw new PowerDriverUnavailableError(name);
    return driver;
  }
}
