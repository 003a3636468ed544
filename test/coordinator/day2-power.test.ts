// Day-2 power through moorctl and the API, against a real coordinator (its default drivers: real
// ipmitool) and real OpenIPMI ipmi_sim BMCs: power off/on/cycle and the boot device reach the BMC,
// the recorded power state follows every driver call, the periodic power sync records an event
// when the BMC was changed behind the coordinator's back, members act only on their own allocated
// machines (someone else's is NOT_FOUND), and nothing powers a machine a sequence is driving.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorEvent } from '../../coordinator/src/events/event-log.js';
import { createLogger } from '../../coordinator/src/logger.js';
import { ipmiDriver } from '../../coordinator/src/power/ipmi/ipmi-driver.js';
import { manualPowerDriver, PowerDrivers } from '../../coordinator/src/power/power-driver.js';
import { LmdbStore } from '../../coordinator/src/store/store.js';
import type { Machine__Output } from '../../proto/generated/index.js';
import { failure } from '../harness/call-outcome.js';
import { expectJson, moorctl } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { IpmiSim } from '../harness/ipmi-sim.js';

/**
 * The real ipmi driver running ipmitool from this process: the daemon's process launcher runs compiled
 * JavaScript only (ipmitool-runner.test.ts covers it). The coordinator wraps these as its own.
 */
const realDrivers = (): PowerDrivers => new PowerDrivers([ipmiDriver({ logger: createLogger('silent') }), manualPowerDriver]);

describe('day-2 power against ipmi_sim', () => {
  let f: CoordinatorFixture;
  const sims: IpmiSim[] = [];
  let env: Record<string, string>;
  const admin = (...args: string[]) => moorctl(['--token-file', join(f.dataDir, 'admin.token'), ...args], env);

  /** An ipmi machine on its own ipmi_sim, enlisted and commissioned: READY with the BMC's power. */
  async function ipmiMachine(hostname: string, power: 'on' | 'off', smartNic = false): Promise<{ sim: IpmiSim; machine: Machine__Output }> {
    const sim = await IpmiSim.start({ power });
    sims.push(sim);
    if (smartNic) {
      await f.admin.call('AgentAdminService', 'CreateEnrollmentToken', { name: `dpu-${hostname}`, role: 'smartnic', ttlSeconds: 3600 });
    }
    const machine = await f.admin.call('MachineService', 'EnlistMachine', {
      hostname,
      arch: 'amd64',
      cores: 8,
      memoryMib: 16384,
      power: { driver: 'POWER_DRIVER_IPMI', address: sim.address, user: sim.user, password: sim.password },
      ports: smartNic ? [{ mac: '52:54:00:d2:00:01', isSmartNic: true, smartNicAgentId: `dpu-${hostname}`, smartNicPortId: 'pf0hpf' }] : [],
      commission: true,
    });
    expect(machine.status, machine.statusReason).toBe('MACHINE_STATUS_READY');
    await sim.clearCalls();
    return { sim, machine };
  }

  const events = (machineId: string, kind: string): CoordinatorEvent[] =>
    [...f.coordinator.events.since(0)].filter((e) => e.machineId === machineId && e.kind === kind);

  beforeAll(async () => {
    // The timer-driven sync is off here; one test runs a round itself, another starts its own coordinator.
    f = await startCoordinator({ powerDrivers: realDrivers(), flags: { powerSyncIntervalMs: 0 } });
    env = { MOORING_COORDINATOR: f.address, MOORING_CA: join(f.dataDir, 'ca.crt') };
  });
  afterAll(async () => {
    await f?.close();
    await Promise.all(sims.map((sim) => sim.stop()));
  });

  it('powers a machine off, on and cycles it through moorctl; the BMC and the record agree', async () => {
    const { sim, machine } = await ipmiMachine('day2-a', 'on');
    expect(machine.powerState).toBe('POWER_STATE_ON');

    const off = await admin('machine', 'power', 'off', 'day2-a');
    expect(off.stderr).toBe('');
    expect(off.stdout).toBe('day2-a: power off\n');
    expect(await sim.power()).toBe('off');
    expect(await sim.sets()).toEqual(['set power 0']);
    const recorded = await f.admin.call('MachineService', 'GetMachine', { machine: machine.id });
    expect(recorded.powerState).toBe('POWER_STATE_OFF');
    expect(events(machine.id, 'machine.power-state').at(-1)?.details).toMatchObject({ recorded: 'on', powerState: 'off', source: 'off' });

    expect((await admin('machine', 'power', 'on', 'day2-a')).stdout).toBe('day2-a: power on\n');
    expect(await sim.power()).toBe('on');
    await sim.clearCalls();
    const cycled = await expectJson(admin('--json', 'machine', 'power', 'cycle', 'day2-a'));
    expect(cycled['powerState']).toBe('POWER_STATE_ON');
    // ipmi_sim's chassis program sees the machine go off, and (ipmi_sim finishing the cycle itself) on again.
    await sim.waitForCall((call) => call.text === 'set power 1', 'set power 1 after the cycle');
    expect(await sim.sets()).toEqual(['set power 0', 'set power 1']);
    expect(await sim.power()).toBe('on');
  });

  it('sets the boot device, once or persistently', async () => {
    const { sim } = await ipmiMachine('day2-boot', 'off');
    const once = await admin('machine', 'boot-device', 'day2-boot', 'pxe');
    expect(once.stdout).toBe('day2-boot: boot device pxe (next boot only)\n');
    expect(await sim.bootDevice()).toBe('pxe');
    expect((await admin('machine', 'boot-device', 'day2-boot', 'disk', '--persistent')).stdout).toContain('(persistent)');
    expect(await sim.bootDevice()).toBe('default');
    const bad = await admin('machine', 'boot-device', 'day2-boot', 'floppy');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the device must be one of pxe, disk, bios, got floppy');
  });

  it('records a drift event when the BMC was changed behind its back (status and the sync round)', async () => {
    const { sim, machine } = await ipmiMachine('day2-drift', 'off');
    await sim.setPower('on'); // someone pressed the button
    const status = await admin('machine', 'power', 'status', 'day2-drift');
    expect(status.stdout).toBe('day2-drift: power on\n');
    expect(await sim.sets()).toEqual([]); // a status only reads
    const [drift] = events(machine.id, 'machine.power-drift');
    expect(drift?.details).toMatchObject({ recorded: 'off', powerState: 'on', driver: 'ipmi', source: 'query' });

    // Behind its back again; now nobody asks, the sync round finds it.
    await sim.setPower('off');
    const round = await f.coordinator.powerSync.syncOnce();
    expect(round.failed).toBe(0);
    expect(round.asked).toBeGreaterThanOrEqual(1);
    const drifts = events(machine.id, 'machine.power-drift');
    expect(drifts).toHaveLength(2);
    expect(drifts[1]?.why).toBe('the BMC reports power off; the coordinator had recorded on');
    expect((await f.admin.call('MachineService', 'GetMachine', { machine: machine.id })).powerState).toBe('POWER_STATE_OFF');
    // A round that finds nothing changed records nothing, and writes nothing: what the record
    // already holds is told by a read (no write transaction per machine and round).
    const store = f.coordinator.store;
    if (!(store instanceof LmdbStore)) throw new Error('the fixture runs on LMDB');
    const commitsBefore = store.groupsCommitted;
    const quiet = await f.coordinator.powerSync.syncOnce();
    expect(quiet.asked).toBeGreaterThanOrEqual(1);
    expect(store.groupsCommitted).toBe(commitsBefore);
    expect(events(machine.id, 'machine.power-drift')).toHaveLength(2);
  });

  it('lets a member power only its own allocated machine; others see NOT_FOUND', async () => {
    const { sim, machine } = await ipmiMachine('day2-owned', 'on');
    const alice = await f.user('alice', 'member');
    const bob = await f.user('bob', 'member');
    const carol = await f.user('carol', 'observer');
    // Visible but not hers yet: a machine she has not allocated.
    const notYet = await failure(alice.call('MachineService', 'PowerMachine', { machine: machine.id, action: 'POWER_ACTION_OFF' }));
    expect(notYet).toEqual({ code: 'FAILED_PRECONDITION', details: `machine ${machine.id} is not allocated to alice: allocate it first` });
    await alice.call('MachineService', 'AllocateMachine', { constraints: { name: machine.id } });
    const off = await alice.call('MachineService', 'PowerMachine', { machine: machine.id, action: 'POWER_ACTION_OFF' });
    expect(off.powerState).toBe('POWER_STATE_OFF');
    expect(await sim.power()).toBe('off');
    await alice.call('MachineService', 'SetBootDevice', { machine: machine.id, device: 'BOOT_DEVICE_BIOS' });
    expect(await sim.bootDevice()).toBe('bios');

    // Bob cannot tell it exists: worded exactly as a machine that does not.
    for (const ref of [machine.id, 'day2-owned']) {
      expect(await failure(bob.call('MachineService', 'PowerMachine', { machine: ref, action: 'POWER_ACTION_ON' }))).toEqual({
        code: 'NOT_FOUND',
        details: `machine ${ref} not found`,
      });
    }
    expect(await failure(bob.call('MachineService', 'SetBootDevice', { machine: machine.id, device: 'BOOT_DEVICE_PXE' }))).toEqual({
      code: 'NOT_FOUND',
      details: `machine ${machine.id} not found`,
    });
    expect((await failure(carol.call('MachineService', 'PowerMachine', { machine: machine.id, action: 'POWER_ACTION_ON' }))).code).toBe(
      'PERMISSION_DENIED',
    );
    // None of them reached the BMC.
    expect(await sim.power()).toBe('off');
    expect(await sim.bootDevice()).toBe('bios');
  });

  it('refuses power and boot-device changes while a deploy sequence drives the machine', async () => {
    // A smartNIC machine whose smartNIC agent never comes: the sequence powers it on into BIOS
    // setup and then waits for the agent, for as long as agentSessionTimeoutMs.
    const { sim, machine } = await ipmiMachine('day2-busy', 'off', true);
    await f.admin.call('MachineService', 'AllocateMachine', { constraints: { name: machine.id } });
    await f.admin.call('DeploymentService', 'DeployMachine', { machine: machine.id });
    await sim.waitForCall((call) => call.text === 'set power 1', 'the sequence powers the machine on');

    const refused = await admin('machine', 'power', 'off', 'day2-busy');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `moorctl: machine ${machine.id} is busy: a deploy sequence is running; cannot power it off until it ends (FAILED_PRECONDITION)\n`,
    );
    expect(
      await failure(f.admin.call('MachineService', 'SetBootDevice', { machine: machine.id, device: 'BOOT_DEVICE_PXE', persistent: true })),
    ).toEqual({
      code: 'FAILED_PRECONDITION',
      details: `machine ${machine.id} is busy: a deploy sequence is running; cannot set its boot device to pxe until it ends`,
    });
    // The BMC saw only the sequence: BIOS setup once, then power on.
    expect(await sim.sets()).toEqual(['set boot bios', 'set power 1']);
    expect(await sim.power()).toBe('on');
    // The record followed the sequence's own driver calls.
    expect((await f.admin.call('MachineService', 'GetMachine', { machine: machine.id })).powerState).toBe('POWER_STATE_ON');
  });

  it('refuses on/off for a manual machine and an unknown action, naming them', async () => {
    const manual = await f.machine('day2-manual');
    expect(await failure(f.admin.call('MachineService', 'PowerMachine', { machine: manual.id, action: 'POWER_ACTION_ON' }))).toEqual({
      code: 'FAILED_PRECONDITION',
      details: `machine ${manual.id} uses the manual power driver: cannot power it on on request`,
    });
    expect(await failure(f.admin.call('MachineService', 'PowerMachine', { machine: manual.id }))).toEqual({
      code: 'INVALID_ARGUMENT',
      details: 'action: required: on, off, cycle or status',
    });
    const bad = await admin('machine', 'power', 'reboot', 'day2-manual');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the action must be one of on, off, cycle, status, got reboot');
  });
});

describe('the periodic power sync', () => {
  it('asks the BMCs on its own, every interval, and records drift', async () => {
    const sim = await IpmiSim.start({ power: 'on' });
    const f = await startCoordinator({ powerDrivers: realDrivers(), flags: { powerSyncIntervalMs: 1000, powerSyncConcurrency: 2 } });
    try {
      const machine = await f.admin.call('MachineService', 'EnlistMachine', {
        hostname: 'sync-a',
        arch: 'amd64',
        cores: 8,
        memoryMib: 16384,
        power: { driver: 'POWER_DRIVER_IPMI', address: sim.address, user: sim.user, password: sim.password },
        commission: true,
      });
      expect(machine.powerState).toBe('POWER_STATE_ON');
      const drift = new Promise<CoordinatorEvent>((resolve) => {
        f.coordinator.events.subscribe((e) => {
          if (e.machineId === machine.id && e.kind === 'machine.power-drift') resolve(e);
        });
      });
      await sim.setPower('off');
      const event = await drift; // no call from the test: only the timer asks
      expect(event.details).toMatchObject({ recorded: 'on', powerState: 'off', source: 'query' });
      expect(event.actor).toBe('system');
      expect((await f.admin.call('MachineService', 'GetMachine', { machine: machine.id })).powerState).toBe('POWER_STATE_OFF');
      expect(await sim.sets()).toEqual([]);
    } finally {
      await f.close();
      await sim.stop();
    }
  });
});
