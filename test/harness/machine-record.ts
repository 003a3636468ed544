// A stored machine record for tests and benchmarks that fill a store directly: a commissioned
// READY machine with manual power and no ports, overridden field by field.
import type { Machine } from '../../coordinator/src/machines/machine.js';

export function machineRecord(id: string, fields: Partial<Machine> = {}): Machine {
  return {
    id,
    hostname: id,
    arch: 'amd64',
    cores: 8,
    memoryMib: 8192,
    tags: [],
    pool: 'default',
    zone: 'default',
    status: 'READY',
    statusReason: '',
    owner: null,
    reservedFor: null,
    power: {
      driver: 'manual',
      address: '',
      user: '',
      passwordFile: null,
      hasPassword: false,
      bootMode: 'uefi',
      ipmiCipherSuite: null,
      redfishTls: null,
    },
    powerState: 'off',
    ports: [],
    annotations: {},
    brokenFrom: null,
    commissioned: true,
    createdAt: 1,
    updatedAt: 1,
    ...fields,
  };
}
