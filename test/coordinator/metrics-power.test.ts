// Power driver calls and BIOS-halt sequence steps on /metrics, against a real BMC (ipmi_sim driven
// by the ipmi driver through ipmitool) and a real coordinator daemon (its process launcher runs from
// dist/): a machine commissioned and deployed
// moves the ipmi driver's call counts and each deploy step's duration histogram; a machine whose
// BMC does not answer counts as a failed call. promtool checks the result.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import type { EnlistMachineRequest, Machine__Output } from '../../proto/generated/index.js';
import { startCoordinatorProcess, type CoordinatorProcess } from '../harness/coordinator-process.js';
import { freeUdpPort, IpmiSim } from '../harness/ipmi-sim.js';
import { promtoolCheck, sample, scrape } from '../harness/promtool.js';

let dir: string;
let coordinator: CoordinatorProcess;
let admin: CoordinatorClient;
let url: string;
let bmc: IpmiSim;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mooring-metrics-power-'));
  bmc = await IpmiSim.start({ power: 'off' });
  coordinator = await startCoordinatorProcess(path.join(dir, 'data'), { extraArgs: ['--power-timeout-ms', '5000'] });
  url = coordinator.metricsUrl ?? '';
  admin = new CoordinatorClient({ address: coordinator.address, caPem: coordinator.caPem, token: coordinator.adminToken });
});

afterAll(async () => {
  admin?.close();
  await coordinator?.kill('SIGTERM');
  await bmc?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Polls the machine until its status is `status`; fails after limitMs (a bound for the test, not a speed claim). */
async function until(machine: string, status: string, limitMs = 60_000): Promise<Machine__Output> {
  const deadline = performance.now() + limitMs;
  for (;;) {
    const m = await admin.call('MachineService', 'GetMachine', { machine });
    if (m.status === status) return m;
    if (performance.now() > deadline) throw new Error(`${machine} is ${m.status} (${m.statusReason}), not ${status}, after ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ipmiMachine = (hostname: string, address: string, mac: string): EnlistMachineRequest => ({
  hostname,
  arch: 'amd64',
  cores: 8,
  memoryMib: 8192,
  power: { driver: 'POWER_DRIVER_IPMI', address, user: bmc.user, password: bmc.password },
  ports: [{ mac }],
  commission: true,
});

const calls = (driver: string, operation: string, result: string): string =>
  `mooring_coordinator_power_calls_total{driver="${driver}",operation="${operation}",result="${result}"}`;
const steps = (step: string): string =>
  `mooring_coordinator_sequence_step_duration_seconds_count{kind="deploy",step="${step}",result="ok"}`;

describe('coordinator metrics of power calls and sequence steps', () => {
  it('counts ipmi calls by operation and result and times each deploy step', async () => {
    const before = (await scrape(url)).body;
    expect(sample(before, calls('ipmi', 'queryState', 'ok'))).toBeUndefined();

    await admin.call('MachineService', 'EnlistMachine', ipmiMachine('pm-1', bmc.address, '52:54:00:bb:00:01'));
    await until('pm-1', 'MACHINE_STATUS_READY');
    await admin.call('MachineService', 'AllocateMachine', { constraints: { name: 'pm-1' } });
    await admin.call('DeploymentService', 'DeployMachine', { machine: 'pm-1' });
    await until('pm-1', 'MACHINE_STATUS_DEPLOYED');

    // Step durations follow the event log, which notifies its subscribers after the commit that
    // made the machine DEPLOYED: a scrape right then may precede the last step's sample.
    let text = (await scrape(url)).body;
    for (const deadline = performance.now() + 10_000; sample(text, steps('finish')) === undefined && performance.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 50));
      text = (await scrape(url)).body;
    }
    // Commissioning and the deploy's read-power step query the state; the deploy powers on.
    expect(sample(text, calls('ipmi', 'queryState', 'ok'))).toBeGreaterThanOrEqual(2);
    expect(sample(text, calls('ipmi', 'setBootDevice', 'ok'))).toBeGreaterThanOrEqual(1);
    expect(sample(text, calls('ipmi', 'powerOn', 'ok'))).toBe(1);
    expect(sample(text, calls('ipmi', 'queryState', 'failed'))).toBeUndefined();
    expect(sample(text, 'mooring_coordinator_power_call_duration_seconds_count{driver="ipmi",operation="powerOn"}')).toBe(1);
    // Every step the deploy went through, as its events list them, is in the histogram once.
    const events = await admin.call('EventService', 'ListEvents', { machine: 'pm-1' });
    const stepNames = events.events.filter((e) => e.kind === 'sequence.step').map((e) => e.details['step'] ?? '');
    expect(stepNames).toContain('read-power');
    expect(stepNames).toContain('finish');
    for (const step of new Set(stepNames)) expect(sample(text, steps(step))).toBe(stepNames.filter((s) => s === step).length);
    expect(sample(text, 'mooring_coordinator_machines{status="DEPLOYED"}')).toBe(1);
    expect(await promtoolCheck(text)).toEqual({ code: 0, problems: [] });
  });

  it('counts a BMC that does not answer as a failed call of its driver', async () => {
    const silent = `127.0.0.1:${await freeUdpPort()}`;
    const before = (await scrape(url)).body;
    await admin.call('MachineService', 'EnlistMachine', ipmiMachine('pm-2', silent, '52:54:00:bb:00:02'));
    await until('pm-2', 'MACHINE_STATUS_FAILED_COMMISSIONING');
    const text = (await scrape(url)).body;
    expect(sample(text, calls('ipmi', 'queryState', 'failed'))).toBe((sample(before, calls('ipmi', 'queryState', 'failed')) ?? 0) + 1);
    expect(sample(text, 'mooring_coordinator_machines{status="FAILED_COMMISSIONING"}')).toBe(1);
    expect(await promtoolCheck(text)).toEqual({ code: 0, problems: [] });
  });
});
