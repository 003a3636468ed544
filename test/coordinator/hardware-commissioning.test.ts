// Commissioning reads the hardware from the BMC, end to end: a real coordinator (gRPC over TLS,
// LMDB) with the real redfish driver against the Redfish BMC SIMULATION over HTTPS and the real
// ipmi driver against OpenIPMI's ipmi_sim with FRU data in its .emu. The facts show over the API
// and in `moorctl machine show`, the BMC's cores and memory replace the typed-in ones for
// allocation, a contradiction is an event naming both values, and a BMC that errs while its
// hardware is read fails the commissioning with the reason.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../coordinator/src/logger.js';
import { boundedDriver } from '../../coordinator/src/power/bounded-drivers.js';
import { ipmiDriver } from '../../coordinator/src/power/ipmi/ipmi-driver.js';
import { manualPowerDriver, PowerDrivers } from '../../coordinator/src/power/power-driver.js';
import { redfishDriver, type RedfishPowerDriver } from '../../coordinator/src/power/redfish/index.js';
import { moorctl } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { IpmiSim } from '../harness/ipmi-sim.js';
import { createCa, writePem } from '../harness/pki.js';
import { RedfishBmcSimulation } from '../harness/redfish-bmc.js';
import { rackServer, RACK_SERVER_FACTS } from '../harness/redfish-hardware.js';

describe('commissioning gathers hardware facts', () => {
  let dir: string;
  let f: CoordinatorFixture;
  let redfish: RedfishPowerDriver;
  let rackBmc: RedfishBmcSimulation;
  let flakyBmc: RedfishBmcSimulation;
  let ipmiBmc: IpmiSim;
  let env: Record<string, string>;
  const show = (machine: string): ReturnType<typeof moorctl> =>
    moorctl(['--token-file', path.join(f.dataDir, 'admin.token'), 'machine', 'show', machine], env);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mooring-hw-facts-'));
    const ca = createCa('BMC vendor CA');
    const caFile = await writePem(dir, 'bmc-ca.pem', ca.cert);
    [rackBmc, flakyBmc, ipmiBmc] = await Promise.all([
      RedfishBmcSimulation.start({ tls: ca.issue('127.0.0.1'), powerState: 'On', hardware: rackServer() }),
      RedfishBmcSimulation.start({ tls: ca.issue('127.0.0.1'), powerState: 'Off', hardware: rackServer() }),
      IpmiSim.start({
        fru: { product: { manufacturer: 'Acme', name: 'Rackserver 3000', serial: 'SN-IPMI-0042' }, board: { serial: 'BRD-1' } },
        bmcMac: '0c:c4:7a:5e:00:42',
      }),
    ]);
    const logger = createLogger('silent');
    redfish = redfishDriver({ caFile, pollIntervalMs: 10, settleTimeoutMs: 5_000, retryInitialMs: 10, retryMaxMs: 50, logger });
    const ipmi = ipmiDriver({ bmcTimeoutSec: 1, retries: 1, retryInitialMs: 50, logger });
    f = await startCoordinator({ powerDrivers: new PowerDrivers([manualPowerDriver, boundedDriver(redfish, 4), boundedDriver(ipmi, 4)]) });
    env = { MOORING_COORDINATOR: f.address, MOORING_CA: path.join(f.dataDir, 'ca.crt') };
  });

  afterAll(async () => {
    await f?.close();
    await redfish?.close();
    await Promise.all([rackBmc?.close(), flakyBmc?.close(), ipmiBmc?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the Redfish facts, uses their cores and memory, and records the mismatch with what was typed in', async () => {
    const before = Date.now();
    const enlisted = await f.admin.call('MachineService', 'EnlistMachine', {
      hostname: 'rf-rack-1',
      arch: 'amd64',
      cores: 8,
      memoryMib: 16384,
      power: { driver: 'POWER_DRIVER_REDFISH', address: rackBmc.url, user: 'admin', password: 'bmc-secret-pw' },
      ports: [{ mac: '0c:c4:7a:00:10:01' }],
      commission: true,
    });
    expect(enlisted.status).toBe('MACHINE_STATUS_READY');
    const machine = await f.admin.call('MachineService', 'GetMachine', { machine: 'rf-rack-1' });
    expect(machine).toMatchObject({ cores: 32, memoryMib: 262144, enlistedCores: 8, enlistedMemoryMib: 16384 });
    expect(machine.hardware).toMatchObject({
      source: 'HARDWARE_SOURCE_REDFISH',
      cores: 32,
      threads: 64,
      memoryMib: 262144,
      ...RACK_SERVER_FACTS,
      bmcMac: '',
    });
    expect(Date.parse(machine.hardware!.gatheredAt)).toBeGreaterThanOrEqual(before - 1000);

    const { events } = await f.admin.call('EventService', 'ListEvents', { machine: 'rf-rack-1' });
    const mismatch = events.filter((e) => e.kind === 'machine.hardware-mismatch');
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]!.why).toBe('cores: enlisted 8, redfish reports 32; memory: enlisted 16384 MiB, redfish reports 262144 MiB');
    expect(mismatch[0]!.details).toMatchObject({ source: 'redfish', 'cores.enlisted': '8', 'cores.reported': '32' });

    // Allocation matches the facts: the typed-in 8 cores would not satisfy 24.
    const { machine: chosen } = await f.admin.call('MachineService', 'AllocateMachine', {
      constraints: { minCores: 24, minMemoryMib: 200_000 },
      dryRun: true,
    });
    expect(chosen?.hostname).toBe('rf-rack-1');

    const shown = await show('rf-rack-1');
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toMatch(/^cores\s+32 \(enlisted 8\)$/m);
    expect(shown.stdout).toMatch(/^memory\s+256G \(enlisted 16G\)$/m);
    expect(shown.stdout).toMatch(/^hardware\s+from redfish, read \d{4}-\d\d-\d\dT/m);
    expect(shown.stdout).toMatch(/^hw system\s+Contoso R7625 serial CNSO-4417$/m);
    expect(shown.stdout).toMatch(/^hw cpu\s+32 cores, 64 threads$/m);
    expect(shown.stdout).toMatch(/^hw nic 1\s+0c:c4:7a:00:10:02 NIC.Integrated.1-2 25000 Mb\/s$/m);
    expect(shown.stdout).toMatch(/^hw disk 0\s+NVMe bay 0 960.2 GB Simulated NVMe 960 serial NVME-0001$/m);
  });

  it('stores the IPMI FRU identity and BMC MAC, keeping the typed-in cores and memory', async () => {
    await f.admin.call('MachineService', 'EnlistMachine', {
      hostname: 'ipmi-rack-1',
      arch: 'amd64',
      cores: 12,
      memoryMib: 65536,
      power: { driver: 'POWER_DRIVER_IPMI', address: ipmiBmc.address, user: ipmiBmc.user, password: ipmiBmc.password },
      ports: [{ mac: '52:54:00:ab:00:01' }],
      commission: true,
    });
    const machine = await f.admin.call('MachineService', 'GetMachine', { machine: 'ipmi-rack-1' });
    expect(machine).toMatchObject({ status: 'MACHINE_STATUS_READY', cores: 12, memoryMib: 65536, enlistedCores: 12 });
    expect(machine.hardware).toMatchObject({
      source: 'HARDWARE_SOURCE_IPMI',
      cores: 0,
      memoryMib: 0,
      manufacturer: 'Acme',
      model: 'Rackserver 3000',
      serial: 'SN-IPMI-0042',
      bmcMac: '0c:c4:7a:5e:00:42',
      nics: [],
    });
    const { events } = await f.admin.call('EventService', 'ListEvents', { machine: 'ipmi-rack-1' });
    expect(events.filter((e) => e.kind === 'machine.hardware-mismatch')).toEqual([]);

    const shown = await show('ipmi-rack-1');
    expect(shown.stdout).toMatch(/^cores\s+12$/m);
    expect(shown.stdout).toMatch(/^hardware\s+from ipmi, read /m);
    expect(shown.stdout).toMatch(/^hw system\s+Acme Rackserver 3000 serial SN-IPMI-0042$/m);
    expect(shown.stdout).toMatch(/^hw bmc mac\s+0c:c4:7a:5e:00:42$/m);
  });

  it('fails the commissioning, naming the step, when the BMC errs while its hardware is read', async () => {
    flakyBmc.failRequest('GET', '/redfish/v1/Systems/1/Memory', 400);
    const machine = await f.admin.call('MachineService', 'EnlistMachine', {
      hostname: 'rf-flaky-1',
      arch: 'amd64',
      cores: 8,
      memoryMib: 16384,
      power: { driver: 'POWER_DRIVER_REDFISH', address: flakyBmc.url, user: 'admin', password: 'bmc-secret-pw' },
      commission: true,
    });
    expect(machine.status).toBe('MACHINE_STATUS_FAILED_COMMISSIONING');
    expect(machine.statusReason).toMatch(
      /^reading the hardware inventory over redfish failed: .*GET \/redfish\/v1\/Systems\/1\/Memory with HTTP 400/,
    );
    expect(machine.hardware).toBeNull();

    // Once the BMC answers, commissioning again stores the facts.
    const again = await f.admin.call('MachineService', 'CommissionMachine', { machine: 'rf-flaky-1' });
    expect(again).toMatchObject({ status: 'MACHINE_STATUS_READY', cores: 32, hardware: { serial: 'CNSO-4417' } });
  });

  it('leaves a machine whose record holds no facts (manual power, or stored before facts existed) on its typed-in values', async () => {
    const plain = await f.machine('manual-1', { cores: 6, memoryMib: 12288 });
    expect(plain).toMatchObject({ status: 'MACHINE_STATUS_READY', cores: 6, memoryMib: 12288, hardware: null });
    expect(Object.keys(f.coordinator.machines.table().get(plain.id) ?? {})).not.toContain('hardware');
    expect((await show('manual-1')).stdout).toMatch(/^hardware\s+not read from a BMC$/m);
  });
});
