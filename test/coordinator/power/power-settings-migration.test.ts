// Schema 7 on real LMDB files: machines stored by a coordinator before per-machine power settings
// get the settings they were driven with until now (IPMI cipher suite 3, the coordinator's Redfish
// TLS default), and every other field is kept.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createLogger } from '../../../coordinator/src/logger.js';
import type { Machine } from '../../../coordinator/src/machines/machine.js';
import { SCHEMA_VERSION } from '../../../coordinator/src/store/schema.js';
import { Store } from '../../../coordinator/src/store/store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A machine record as schema 6 stored it: power settings without the new fields. */
function oldRecord(id: string, driver: Machine['power']['driver']): unknown {
  return {
    id,
    hostname: id,
    arch: 'amd64',
    cores: 8,
    memoryMib: 8192,
    tags: ['rack1'],
    pool: 'default',
    zone: 'default',
    status: 'READY',
    statusReason: '',
    owner: null,
    reservedFor: null,
    power: { driver, address: '10.0.0.5', user: 'root', passwordFile: null, hasPassword: true, bootMode: 'uefi' },
    powerState: 'off',
    ports: [],
    annotations: {},
    brokenFrom: null,
    commissioned: true,
    createdAt: 1,
    updatedAt: 2,
  };
}

it('fills in the cipher suite and the Redfish TLS check for machines stored before schema 7', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mooring-migrate-power-'));
  dirs.push(dir);
  const first = Store.open(dir, createLogger('silent'));
  await first.write(() => {
    first.tables.machines.putSync('m-ipmi', oldRecord('m-ipmi', 'ipmi'));
    first.tables.machines.putSync('m-redfish', oldRecord('m-redfish', 'redfish'));
    first.tables.machines.putSync('m-manual', oldRecord('m-manual', 'manual'));
    first.tables.meta.putSync('schemaVersion', 6);
  });
  await first.close();

  const second = Store.open(dir, createLogger('silent'));
  try {
    expect(second.tables.meta.get('schemaVersion')).toBe(SCHEMA_VERSION);
    const read = (id: string): Machine => second.tables.machines.get(id) as Machine;
    expect(read('m-ipmi').power).toEqual({
      driver: 'ipmi',
      address: '10.0.0.5',
      user: 'root',
      passwordFile: null,
      hasPassword: true,
      bootMode: 'uefi',
      ipmiCipherSuite: 3,
      redfishTls: null,
    });
    expect(read('m-redfish').power).toMatchObject({ ipmiCipherSuite: null, redfishTls: { verify: 'default' } });
    expect(read('m-manual').power).toMatchObject({ ipmiCipherSuite: null, redfishTls: null });
    expect(read('m-ipmi')).toMatchObject({ status: 'READY', tags: ['rack1'], powerState: 'off', updatedAt: 2 });
  } finally {
    await second.close();
  }
});
