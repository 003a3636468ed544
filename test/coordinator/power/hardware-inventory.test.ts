// The drivers' inventory() against the BMCs: a real OpenIPMI ipmi_sim whose FRU device 0 holds
// the data of its .emu file (mc_add_fru_data) and whose LAN MAC comes from lan_config_program,
// read through the real ipmitool; and the Redfish BMC SIMULATION serving Processors, Memory,
// EthernetInterfaces and Storage as DMTF's schemas shape them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../coordinator/src/logger.js';
import { normaliseInventory } from '../../../coordinator/src/machines/hardware-facts.js';
import { boundedDriver } from '../../../coordinator/src/power/bounded-drivers.js';
import { ipmiDriver } from '../../../coordinator/src/power/ipmi/ipmi-driver.js';
import { redfishDriver, type RedfishPowerDriver } from '../../../coordinator/src/power/redfish/index.js';
import { IpmiSim, ipmiTarget } from '../../harness/ipmi-sim.js';
import { RedfishBmcSimulation } from '../../harness/redfish-bmc.js';
import { redfishTarget } from '../../harness/redfish-target.js';
import { rackServer, RACK_SERVER_FACTS } from '../../harness/redfish-hardware.js';

const FRU = {
  chassis: { partNumber: 'CH-7', serial: 'CHS-9001' },
  board: { manufacturer: 'Acme Boards', product: 'X13-DPT', serial: 'BRD-4242', partNumber: 'B-13' },
  product: { manufacturer: 'Acme', name: 'Rackserver 3000', partNumber: 'RS3000', version: 'r2', serial: 'SN-777-001', assetTag: 'A-1' },
};

describe('ipmi inventory (real ipmi_sim and ipmitool)', () => {
  let withFru: IpmiSim;
  let bare: IpmiSim;
  const driver = boundedDriver(ipmiDriver({ bmcTimeoutSec: 1, retries: 1, retryInitialMs: 50, logger: createLogger('silent') }), 4);

  beforeAll(async () => {
    [withFru, bare] = await Promise.all([IpmiSim.start({ fru: FRU, bmcMac: '0c:c4:7a:5e:00:01' }), IpmiSim.start()]);
  });
  afterAll(async () => {
    await Promise.all([withFru?.stop(), bare?.stop()]);
  });

  it('reads the FRU identity and the BMC LAN MAC; IPMI gives no cores, memory, NICs or disks', async () => {
    const inventory = await driver.inventory!(ipmiTarget(withFru), AbortSignal.timeout(30_000));
    expect(inventory).toEqual({
      cores: null,
      threads: null,
      memoryMib: null,
      manufacturer: 'Acme',
      model: 'Rackserver 3000',
      serial: 'SN-777-001',
      nics: [],
      disks: [],
      bmcMac: '0c:c4:7a:5e:00:01',
    });
  });

  it('leaves the facts unknown on a BMC without FRU data or LAN MAC, without failing', async () => {
    const inventory = await driver.inventory!(ipmiTarget(bare), AbortSignal.timeout(30_000));
    expect(inventory).toMatchObject({ manufacturer: null, model: null, serial: null, bmcMac: null });
  });

  it('fails with the credentials named when the BMC refuses them', async () => {
    const error: unknown = await driver.inventory!(ipmiTarget(withFru, { password: 'wrong-password' }), AbortSignal.timeout(30_000)).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/refused user "admin"/);
    expect((error as Error).message).not.toContain('wrong-password');
  });
});

describe('redfish inventory (Redfish BMC simulation)', () => {
  const bmcs: RedfishBmcSimulation[] = [];
  const drivers: RedfishPowerDriver[] = [];
  const driver = (): RedfishPowerDriver => {
    const d = redfishDriver({
      pollIntervalMs: 10,
      settleTimeoutMs: 5_000,
      retryInitialMs: 10,
      retryMaxMs: 50,
      logger: createLogger('silent'),
    });
    drivers.push(d);
    return d;
  };
  const bmc = async (hardware: ReturnType<typeof rackServer>): Promise<RedfishBmcSimulation> => {
    const started = await RedfishBmcSimulation.start({ hardware, powerState: 'On' });
    bmcs.push(started);
    return started;
  };
  afterAll(async () => {
    await Promise.all(drivers.map((d) => d.close()));
    await Promise.all(bmcs.map((b) => b.close()));
  });

  it('counts present CPUs and DIMMs and lists NICs and drives', async () => {
    const sim = await bmc(rackServer());
    const inventory = normaliseInventory(await driver().inventory(redfishTarget(sim.url), AbortSignal.timeout(30_000)));
    expect(inventory).toEqual({
      cores: 32,
      threads: 64,
      memoryMib: 8 * 32768,
      ...RACK_SERVER_FACTS,
      bmcMac: null,
    });
    // It read the members, not only the system's summary.
    expect(sim.requestsTo('GET', '/redfish/v1/Systems/1/Memory/DIMM7')).toHaveLength(1);
    expect(sim.requestsTo('GET', '/redfish/v1/Systems/1/Storage/1/Drives/1')).toHaveLength(1);
  });

  it('skips empty sockets and GPUs, follows collection pages, and leaves a missing Storage unknown', async () => {
    const sim = await bmc(
      rackServer({
        cpus: [
          { cores: 24, threads: 48 },
          { cores: 0, threads: 0, absent: true },
          { cores: 80, threads: 80, type: 'GPU' },
        ],
        dimms: Array.from({ length: 5 }, () => ({ capacityMib: 16384 })),
        missing: ['Storage'],
        pageSize: 2,
      }),
    );
    const inventory = await driver().inventory(redfishTarget(sim.url), AbortSignal.timeout(30_000));
    expect(inventory).toMatchObject({ cores: 24, threads: 48, memoryMib: 5 * 16384, disks: [] });
    expect(sim.requestsTo('GET', '/redfish/v1/Systems/1/Memory?$skip=4')).toHaveLength(1);
    expect(sim.requestsTo('GET', '/redfish/v1/Systems/1/Storage')[0]?.status).toBe(404);
  });

  it('falls back to the system summary where the BMC links no Processors or Memory', async () => {
    const sim = await bmc(rackServer({ omit: ['Processors', 'Memory', 'EthernetInterfaces', 'Storage'] }));
    const inventory = await driver().inventory(redfishTarget(sim.url), AbortSignal.timeout(30_000));
    expect(inventory).toMatchObject({ cores: 32, threads: 64, memoryMib: 262144, nics: [], disks: [] });
    expect(sim.requestsTo('GET', '/redfish/v1/Systems/1/Processors')).toHaveLength(0);
  });

  it('fails when the BMC errs on a collection it has', async () => {
    const sim = await bmc(rackServer());
    sim.failRequest('GET', '/redfish/v1/Systems/1/Processors', 400);
    const error: unknown = await driver()
      .inventory(redfishTarget(sim.url), AbortSignal.timeout(30_000))
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/GET \/redfish\/v1\/Systems\/1\/Processors with HTTP 400/);
  });
});
