// Power drivers answer for a machine's BMC: power state, on, off, cycle, and the next boot device
// (once or persistently). Credentials reach a driver only through `PowerTarget.password()`, read
// from the secret table or the password file at call time. Every call takes an AbortSignal: the
// caller bounds it, and a driver stops retrying once it fires.
import type { HardwareInventory } from '../machines/hardware-facts.js';
import type { BootMode, Machine, PowerDriverName, PowerState } from '../machines/machine.js';
import { PowerDriverUnavailableError } from './errors.js';

export interface PowerTarget {
  readonly machine: Machine;
  /** The BMC password, or null when none is configured. Never log it. */
  password(): Promise<string | null>;
  /**
   * The power state the caller itself read or set moments ago, within one operation (a sequence
   * between its steps). A driver may take it instead of reading the state before an on or off;
   * absent, it reads.
   */
  readonly knownPower?: 'on' | 'off';
}

/** Where the machine boots next: BIOS setup (the BIOS-halt), network, local disk, virtual CD. */
export const BOOT_DEVICES = ['bios', 'pxe', 'disk', 'cdrom'] as const;
export type BootDevice = (typeof BOOT_DEVICES)[number];

export interface BootRequest {
  readonly device: BootDevice;
  /** false: only the next boot (IPMI "options" without persistent, Redfish "Once"). */
  readonly persistent: boolean;
  /** UEFI machines need the EFI flag, or some BMCs switch them to legacy boot. */
  readonly mode: BootMode;
}

export interface PowerDriver {
  readonly name: PowerDriverName;
  /** How long one call may take, when it differs from the coordinator's power timeout (manual). */
  readonly callTimeoutMs?: number;
  queryState(target: PowerTarget, signal: AbortSignal): Promise<PowerState>;
  /** Powers on; a machine that is already on is left alone (never rebooted). */
  powerOn(target: PowerTarget, signal: AbortSignal): Promise<void>;
  /** Hard power off; a machine that is already off is left alone. */
  powerOff(target: PowerTarget, signal: AbortSignal): Promise<void>;
  /** Off then on (a reboot); a machine that is off is just powered on. */
  powerCycle(target: PowerTarget, signal: AbortSignal): Promise<void>;
  setBootDevice(target: PowerTarget, boot: BootRequest, signal: AbortSignal): Promise<void>;
  /**
   * Reads the machine's hardware from its BMC (commissioning). Only drivers that can: redfish and
   * ipmi. Parts the BMC does not offer come back null or empty; failing to reach it throws.
   */
  inventory?(target: PowerTarget, signal: AbortSignal): Promise<HardwareInventory>;
}

/** The manual driver before the power issue's confirmations: the coordinator cannot act or know. */
export const manualPowerDriver: PowerDriver = {
  name: 'manual',
  queryState: () => Promise.resolve('unknown'),
  powerOn: () => Promise.reject(new PowerDriverUnavailableError('manual')),
  powerOff: () => Promise.reject(new PowerDriverUnavailableError('manual')),
  powerCycle: () => Promise.reject(new PowerDriverUnavailableError('manual')),
  setBootDevice: () => Promise.reject(new PowerDriverUnavailableError('manual')),
};

/** Every call a driver takes, by name (metrics labels, slot errors). */
export type PowerOperation = 'queryState' | 'powerOn' | 'powerOff' | 'powerCycle' | 'setBootDevice' | 'inventory';

/** What a layer does around one driver call: `call()` runs the call below; its result is passed on. */
export type PowerCallLayer = <T>(operation: PowerOperation, target: PowerTarget, signal: AbortSignal, call: () => Promise<T>) => Promise<T>;

/**
 * `driver` with every call going through `around` (bounded slots, metrics, the recorded power
 * state). The layer keeps the driver's name, call timeout and optional methods: an absent
 * inventory stays absent.
 */
export function layeredDriver(driver: PowerDriver, around: PowerCallLayer): PowerDriver {
  const inventory = driver.inventory?.bind(driver);
  return {
    name: driver.name,
    ...(driver.callTimeoutMs === undefined ? {} : { callTimeoutMs: driver.callTimeoutMs }),
    queryState: (target, signal) => around('queryState', target, signal, () => driver.queryState(target, signal)),
    powerOn: (target, signal) => around('powerOn', target, signal, () => driver.powerOn(target, signal)),
    powerOff: (target, signal) => around('powerOff', target, signal, () => driver.powerOff(target, signal)),
    powerCycle: (target, signal) => around('powerCycle', target, signal, () => driver.powerCycle(target, signal)),
    setBootDevice: (target, boot, signal) => around('setBootDevice', target, signal, () => driver.setBootDevice(target, boot, signal)),
    ...(inventory ? { inventory: (target, signal) => around('inventory', target, signal, () => inventory(target, signal)) } : {}),
  };
}

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

  /** The same drivers, each behind `wrap` (a layer every call of every caller goes through). */
  map(wrap: (driver: PowerDriver) => PowerDriver): PowerDrivers {
    return new PowerDrivers([...this.drivers.values()].map(wrap));
  }
}
