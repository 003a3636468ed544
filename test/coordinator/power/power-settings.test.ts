// Per-machine power settings through a real coordinator (gRPC, LMDB, the default power drivers built
// from its config; they are loaded from dist/ because their process launcher starts ipmitool):
// the IPMI cipher suite against a real OpenIPMI ipmi_sim through real ipmitool, and the Redfish TLS
// check (the machine's own CA file or the coordinator's default) against the Redfish BMC SIMULATION
// over HTTPS. Bad settings are refused at enlist, naming the field and what to do instead.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../coordinator/src/clock.js';
import { loadConfig } from '../../../coordinator/src/config.js';
import { createLogger } from '../../../coordinator/src/logger.js';
import type { DefaultPowerDrivers } from '../../../coordinator/src/power/default-drivers.js';
import { ROOT } from '../../harness/cli.js';
import type { EnlistMachineRequest } from '../../../proto/generated/index.js';
import { invalid } from '../../harness/call-outcome.js';
import { startCoordinator, type CoordinatorFixture } from '../../harness/coordinator-fixture.js';
import { IpmiSim } from '../../harness/ipmi-sim.js';
import { createCa, writePem } from '../../harness/pki.js';
import { RedfishBmcSimulation } from '../../harness/redfish-bmc.js';

let dir: string;
let sim: IpmiSim;
let bmc: RedfishBmcSimulation;
let rightCaFile: string;
let wrongCaFile: string;
let fixture: CoordinatorFixture;
let power: DefaultPowerDrivers;

type DriversModule = typeof import('../../../coordinator/src/power/default-drivers.js');
let count = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-power-settings-'));
  const ca = createCa('BMC vendor CA');
  rightCaFile = await writePem(dir, 'bmc-ca.pem', ca.cert);
  wrongCaFile = await writePem(dir, 'other-ca.pem', createCa('Some other CA').cert);
  sim = await IpmiSim.start({ power: 'on' });
  bmc = await RedfishBmcSimulation.start({ tls: ca.issue('127.0.0.1'), powerState: 'On', password: 'rf-secret-pw' });
  // The coordinator's default Redfish CA is the right one.
  const dataDir = await mkdtemp(path.join(dir, 'data-'));
  const flags = { redfishCaFile: rightCaFile };
  const config = loadConfig({ flags: { ...flags, dataDir }, env: {} });
  const drivers = (await import(pathToFileURL(path.join(ROOT, 'dist/coordinator/src/power/default-drivers.js')).href)) as DriversModule;
  power = drivers.defaultPowerDrivers({
    config,
    clock: systemClock,
    logger: createLogger('silent'),
    onManualRequest: () => undefined,
    lxd: { power: () => Promise.reject(new Error('no lxd machines here')) },
  });
  fixture = await startCoordinator({ dataDir, flags, powerDrivers: power.drivers });
}, 60_000);

afterAll(async () => {
  await fixture?.close();
  await power?.close();
  await sim?.stop();
  await bmc?.close();
  await rm(dir, { recursive: true, force: true });
});

function ipmi(power: Partial<NonNullable<EnlistMachineRequest['power']>> = {}): EnlistMachineRequest {
  return {
    hostname: `ipmi-${++count}`,
    cores: 4,
    memoryMib: 4096,
    arch: 'amd64',
    power: { driver: 'POWER_DRIVER_IPMI', address: sim.address, user: sim.user, password: sim.password, ...power },
  };
}

function redfish(power: Partial<NonNullable<EnlistMachineRequest['power']>> = {}): EnlistMachineRequest {
  return {
    hostname: `redfish-${++count}`,
    cores: 4,
    memoryMib: 4096,
    arch: 'amd64',
    power: { driver: 'POWER_DRIVER_REDFISH', address: bmc.url, user: 'admin', password: 'rf-secret-pw', ...power },
  };
}

async function enlistAndCommission(request: EnlistMachineRequest): Promise<{ status: string; reason: string; id: string }> {
  const enlisted = await fixture.admin.call('MachineService', 'EnlistMachine', request);
  const machine = await fixture.admin.call('MachineService', 'CommissionMachine', { machine: enlisted.id });
  return { status: machine.status, reason: machine.statusReason, id: machine.id };
}

describe('IPMI cipher suite (real ipmi_sim and ipmitool)', () => {
  it('a machine without a suite gets 3 and commissions; one with 3 given explicitly too', async () => {
    const implicit = await enlistAndCommission(ipmi());
    expect(implicit).toMatchObject({ status: 'MACHINE_STATUS_READY' });
    const shown = await fixture.admin.call('MachineService', 'GetMachine', { machine: implicit.id });
    expect(shown.power?.ipmiCipherSuite).toBe(3);
    expect(shown.powerState).toBe('POWER_STATE_ON');
    expect(await enlistAndCommission(ipmi({ ipmiCipherSuite: 3 }))).toMatchObject({ status: 'MACHINE_STATUS_READY' });
  });

  it('the suite reaches ipmitool: 17, which ipmi_sim does not implement, fails commissioning naming it', async () => {
    const result = await enlistAndCommission(ipmi({ ipmiCipherSuite: 17 }));
    expect(result.status).toBe('MACHINE_STATUS_FAILED_COMMISSIONING');
    expect(result.reason).toMatch(/refused an RMCP\+ session with cipher suite 17: invalid authentication algorithm/);
    const shown = await fixture.admin.call('MachineService', 'GetMachine', { machine: result.id });
    expect(shown.power?.ipmiCipherSuite).toBe(17);
  });

  it('a suite written into the address is refused at enlist, pointing at the setting', async () => {
    const details = await invalid(fixture.admin.call('MachineService', 'EnlistMachine', ipmi({ address: `${sim.address};cipher=17` })));
    expect(details).toContain('power.address');
    expect(details).toContain('sets a cipher suite; give it as power.ipmi_cipher_suite (moorctl --ipmi-cipher-suite)');
  });

  it('a suite that does not authenticate and encrypt is refused, as is a suite for another driver', async () => {
    expect(await invalid(fixture.admin.call('MachineService', 'EnlistMachine', ipmi({ ipmiCipherSuite: 1 })))).toMatch(
      /power\.ipmi_cipher_suite.*must be one of 3, 8, 12, 17/,
    );
    expect(await invalid(fixture.admin.call('MachineService', 'EnlistMachine', redfish({ ipmiCipherSuite: 17 })))).toMatch(
      /power\.ipmi_cipher_suite.*applies to the ipmi driver only/,
    );
    const { machines } = await fixture.admin.call('MachineService', 'ListMachines', {});
    expect(machines.map((m) => m.hostname)).not.toContain(`ipmi-${count - 1}`);
  });
});

describe('Redfish TLS (Redfish BMC simulation over HTTPS)', () => {
  it("a machine with no TLS setting of its own is checked against the coordinator's default CA file", async () => {
    const result = await enlistAndCommission(redfish());
    expect(result).toMatchObject({ status: 'MACHINE_STATUS_READY' });
    const shown = await fixture.admin.call('MachineService', 'GetMachine', { machine: result.id });
    expect(shown.power).toMatchObject({ redfishCaFile: '', redfishTlsVerify: 'REDFISH_TLS_VERIFY_UNSPECIFIED', ipmiCipherSuite: 0 });
  });

  it("a machine's own CA file is used instead: the wrong one fails commissioning as a TLS failure", async () => {
    const wrong = await enlistAndCommission(redfish({ redfishCaFile: wrongCaFile }));
    expect(wrong.status).toBe('MACHINE_STATUS_FAILED_COMMISSIONING');
    expect(wrong.reason).toMatch(/^TLS to Redfish BMC https:\/\/127\.0\.0\.1:\d+ failed/);
    const right = await enlistAndCommission(redfish({ redfishCaFile: rightCaFile }));
    expect(right.status).toBe('MACHINE_STATUS_READY');
    const shown = await fixture.admin.call('MachineService', 'GetMachine', { machine: right.id });
    expect(shown.power).toMatchObject({ redfishCaFile: rightCaFile, redfishTlsVerify: 'REDFISH_TLS_VERIFY_ON', password: '' });
  });

  it('REDFISH_TLS_VERIFY_ON without a CA file means the system CAs, which do not know this BMC', async () => {
    const result = await enlistAndCommission(redfish({ redfishTlsVerify: 'REDFISH_TLS_VERIFY_ON' }));
    expect(result.status).toBe('MACHINE_STATUS_FAILED_COMMISSIONING');
    expect(result.reason).toMatch(/^TLS to Redfish BMC/);
  });

  it('bad TLS settings are refused at enlist, naming the field', async () => {
    const missing = path.join(dir, 'missing.pem');
    expect(await invalid(fixture.admin.call('MachineService', 'EnlistMachine', redfish({ redfishCaFile: missing })))).toMatch(
      /power\.redfish_ca_file.*cannot be read \(ENOENT\)/,
    );
    expect(await invalid(fixture.admin.call('MachineService', 'EnlistMachine', redfish({ redfishCaFile: 'ca.pem' })))).toMatch(
      /power\.redfish_ca_file.*must be an absolute path/,
    );
    const notPem = await writePem(dir, 'not-a-cert.pem', 'hello\n');
    expect(await invalid(fixture.admin.call('MachineService', 'EnlistMachine', redfish({ redfishCaFile: notPem })))).toMatch(
      /power\.redfish_ca_file.*holds no PEM certificate/,
    );
    expect(
      await invalid(
        fixture.admin.call(
          'MachineService',
          'EnlistMachine',
          redfish({ redfishCaFile: rightCaFile, redfishTlsVerify: 'REDFISH_TLS_VERIFY_OFF' }),
        ),
      ),
    ).toMatch(/power\.redfish_tls_verify.*exclude each other/);
    expect(await invalid(fixture.admin.call('MachineService', 'EnlistMachine', ipmi({ redfishCaFile: rightCaFile })))).toMatch(
      /power\.redfish_ca_file.*applies to the redfish driver only/,
    );
  });
});
