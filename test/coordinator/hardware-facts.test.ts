// Hardware facts, the pure parts: a driver's report normalised for storage, the values in effect
// (facts over typed-in values), mismatches with what was enlisted, and the parsers of what BMCs
// answer (ipmitool fru print / lan print output as ipmitool 1.8.19 prints it against ipmi_sim,
// Redfish resources as DSP8010 shapes them).
import { describe, expect, it } from 'vitest';
import {
  canonicalMac,
  compareWithTyped,
  describeMismatches,
  effectiveCores,
  effectiveMemoryMib,
  EMPTY_INVENTORY,
  holdsFacts,
  normaliseInventory,
  type HardwareFacts,
} from '../../coordinator/src/machines/hardware-facts.js';
import { machineCost } from '../../coordinator/src/machines/machine.js';
import { parseFruPrint, parseLanPrintMac } from '../../coordinator/src/power/ipmi/fru.js';
import {
  parseCollection,
  parseEthernetInterface,
  parseMemory,
  parseProcessor,
  parseSystemSummary,
} from '../../coordinator/src/power/redfish/inventory-schema.js';
import { readySummary } from '../../coordinator/src/store/ready-index.js';
import { powerTarget } from '../harness/power-target.js';

const FRU_PRINT = ` Chassis Type          : Rack Mount Chassis
 Chassis Part Number   : CH-1
 Chassis Serial        : CHS-0042
 Board Mfg Date        : Sun Aug 14 05:20:00 2022 UTC
 Board Mfg             : Acme Boards
 Board Product         : X11-DPi
 Board Serial          : BRD-77
 Board Part Number     : P-1
 Product Manufacturer  : Acme
 Product Name          : Rackserver 2000
 Product Part Number   : RS2000
 Product Version       : v2
 Product Serial        : SN-12345
 Product Asset Tag     : AT-9
`;

const LAN_PRINT = `Set in Progress         : Set Complete
IP Address Source       : Static Address
IP Address              : 127.0.0.1
Subnet Mask             : 255.0.0.0
MAC Address             : 0C:C4:7A:12:34:56
Default Gateway MAC     : 00:00:00:00:00:00
`;

function facts(partial: Partial<HardwareFacts>): HardwareFacts {
  return { ...EMPTY_INVENTORY, source: 'redfish', gatheredAt: 0, ...partial };
}

const enlisted = powerTarget(
  'm-1',
  'node-1',
  {
    driver: 'redfish',
    address: 'https://bmc',
    user: 'u',
    passwordFile: null,
    hasPassword: true,
    bootMode: 'uefi',
    ipmiCipherSuite: null,
    redfishTls: { verify: 'default' },
  },
  null,
).machine;

describe('ipmitool output', () => {
  it('takes the system identity from the product area, then the board and chassis', () => {
    expect(parseFruPrint(FRU_PRINT)).toEqual({ manufacturer: 'Acme', model: 'Rackserver 2000', serial: 'SN-12345' });
    const boardOnly = FRU_PRINT.split('\n')
      .filter((line) => !line.startsWith(' Product'))
      .join('\n');
    expect(parseFruPrint(boardOnly)).toEqual({ manufacturer: 'Acme Boards', model: 'X11-DPi', serial: 'CHS-0042' });
  });

  it('reads the BMC MAC from lan print, and an all-zero MAC as none', () => {
    expect(parseLanPrintMac(LAN_PRINT)).toBe('0c:c4:7a:12:34:56');
    expect(parseLanPrintMac(LAN_PRINT.replace('0C:C4:7A:12:34:56', '00:00:00:00:00:00'))).toBeNull();
    expect(parseLanPrintMac('Set in Progress : Set Complete\n')).toBeNull();
  });
});

describe('Redfish resources', () => {
  it('reads the system summary and its collection links', () => {
    const summary = parseSystemSummary({
      Manufacturer: ' Contoso ',
      Model: 'R7625',
      SerialNumber: '',
      ProcessorSummary: { Count: 2, CoreCount: 32, LogicalProcessorCount: 64 },
      MemorySummary: { TotalSystemMemoryGiB: 255.5 },
      Processors: { '@odata.id': '/redfish/v1/Systems/1/Processors' },
      Storage: { '@odata.id': '/redfish/v1/Systems/1/Storage' },
    });
    expect(summary).toEqual({
      manufacturer: 'Contoso',
      model: 'R7625',
      serial: null,
      coreCount: 32,
      logicalProcessorCount: 64,
      totalMemoryMib: 261632,
      links: {
        processors: '/redfish/v1/Systems/1/Processors',
        memory: null,
        ethernetInterfaces: null,
        storage: '/redfish/v1/Systems/1/Storage',
        simpleStorage: null,
      },
    });
  });

  it('marks absent sockets and slots, non-CPU processors, and prefers the permanent MAC', () => {
    expect(parseProcessor({ ProcessorType: 'GPU', TotalCores: 80, Status: { State: 'Enabled' } })).toMatchObject({ isCpu: false });
    expect(parseProcessor({ Status: { State: 'Absent' } })).toEqual({ present: false, isCpu: true, cores: null, threads: null });
    expect(parseMemory({ CapacityMiB: 32768 })).toEqual({ present: true, capacityMib: 32768 });
    expect(parseEthernetInterface({ Id: 'eth0', MACAddress: 'AA:AA:AA:AA:AA:AA', PermanentMACAddress: 'BB:BB:BB:BB:BB:BB' })).toEqual({
      mac: 'BB:BB:BB:BB:BB:BB',
      name: 'eth0',
      speedMbps: null,
    });
    expect(
      parseCollection({ Members: [{ '@odata.id': '/a' }, {}, { '@odata.id': '/b' }], 'Members@odata.nextLink': '/c?$skip=2' }),
    ).toEqual({
      members: ['/a', '/b'],
      nextLink: '/c?$skip=2',
    });
  });
});

describe('normalised facts', () => {
  it('canonicalises MACs and drops malformed, all-zero and repeated ones', () => {
    expect(canonicalMac('0C-C4-7A-00-10-01')).toBe('0c:c4:7a:00:10:01');
    const normal = normaliseInventory({
      ...EMPTY_INVENTORY,
      cores: 0,
      memoryMib: 65536.5,
      model: '  ',
      nics: [
        { mac: '0C:C4:7A:00:10:01', name: ' eth0 ', speedMbps: 25000 },
        { mac: '0c:c4:7a:00:10:01', name: 'again', speedMbps: null },
        { mac: 'not-a-mac', name: null, speedMbps: null },
        { mac: '00:00:00:00:00:00', name: null, speedMbps: null },
      ],
      disks: [{ name: '', sizeBytes: 100, model: null, serial: ' S1 ' }],
    });
    expect(normal).toEqual({
      ...EMPTY_INVENTORY,
      nics: [{ mac: '0c:c4:7a:00:10:01', name: 'eth0', speedMbps: 25000 }],
      disks: [{ name: 'disk0', sizeBytes: 100, model: null, serial: 'S1' }],
    });
    expect(holdsFacts(EMPTY_INVENTORY)).toBe(false);
    expect(holdsFacts({ ...EMPTY_INVENTORY, bmcMac: '0c:c4:7a:12:34:56' })).toBe(true);
  });
});

describe('values in effect', () => {
  it('are the facts where the BMC gave them, else the enlisted values, and allocation sees the same', () => {
    expect(effectiveCores(enlisted)).toBe(8);
    const withFacts = { ...enlisted, hardware: facts({ cores: 32, memoryMib: 262144 }) };
    expect([effectiveCores(withFacts), effectiveMemoryMib(withFacts)]).toEqual([32, 262144]);
    const ipmiOnly = { ...enlisted, hardware: facts({ source: 'ipmi', serial: 'SN-1' }) };
    expect([effectiveCores(ipmiOnly), effectiveMemoryMib(ipmiOnly)]).toEqual([8, 16384]);
    expect(readySummary(withFacts)).toMatchObject({ cores: 32, memoryMib: 262144 });
    expect(machineCost(withFacts)).toBe(32 + 256);
  });

  it('name every contradiction with the typed-in values', () => {
    const machine = { ...enlisted, ports: [{ mac: '52:54:00:00:00:01' }] };
    const reported = facts({ cores: 32, memoryMib: 16384, nics: [{ mac: '0c:c4:7a:00:10:01', name: null, speedMbps: null }] });
    const mismatches = compareWithTyped(machine, reported);
    expect(mismatches).toEqual([
      { field: 'cores', typed: '8', found: '32' },
      { field: 'port 52:54:00:00:00:01', typed: 'enlisted', found: 'not among the NICs the BMC reports' },
    ]);
    expect(describeMismatches('redfish', mismatches)).toBe(
      'cores: enlisted 8, redfish reports 32; port 52:54:00:00:00:01: enlisted, not among the NICs the BMC reports',
    );
    // No NICs reported (IPMI never reports them): the ports are not questioned.
    expect(compareWithTyped(machine, facts({ memoryMib: 8192 }))).toEqual([{ field: 'memoryMib', typed: '16384 MiB', found: '8192 MiB' }]);
  });
});
