// A READY machine record with the given power settings, as the PowerTarget a driver is called
// with (drivers under test need nothing else of the coordinator).
import type { Machine, PowerSettings } from '../../coordinator/src/machines/machine.js';
import type { PowerTarget } from '../../coordinator/src/power/power-driver.js';

export function powerTarget(id: string, hostname: string, power: PowerSettings, password: string | null): PowerTarget {
  const machine: Machine = {
    id,
    hostname,
    arch: 'amd64',
    cores: 8,
    memoryMib: 16384,
    tags: [],
    pool: 'default',
    zone: 'default',
    status: 'READY',
    statusReason: '',
    owner: null,
    reservedFor: null,
    power,
    powerState: 'unknown',
    ports: [],
    annotations: {},
    brokenFrom: null,
    commissioned: true,
    createdAt: 0,
    updatedAt: 0,
  };
  return { machine, password: () => Promise.resolve(password) };
}
