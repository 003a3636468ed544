// A sequence step costs one durable write: the power state its BMC call proves and the machine's
// last transition go into the write that records the step (store/step-writes.ts), not into writes
// of their own. Outside a sequence, a power call still records its state at once (day2-power.test.ts).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PowerState } from '../../coordinator/src/machines/machine.js';
import { PowerDrivers, type PowerDriver } from '../../coordinator/src/power/power-driver.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

/** A simulated BMC (named manual, the fixture's driver) whose machines start powered on; `failOn` makes that call fail once. */
function bmc(failOn: { op: keyof PowerDriver | null }): PowerDriver {
  const power = new Map<string, PowerState>();
  const call = <T>(op: keyof PowerDriver, act: () => T): Promise<T> => {
    if (failOn.op === op) {
      failOn.op = null;
      return Promise.reject(new Error(`the BMC refused ${op}`));
    }
    return Promise.resolve(act());
  };
  return {
    name: 'manual',
    queryState: (target) => call('queryState', () => power.get(target.machine.id) ?? 'on'),
    powerOn: (target) => call('powerOn', () => void power.set(target.machine.id, 'on')),
    powerOff: (target) => call('powerOff', () => void power.set(target.machine.id, 'off')),
    powerCycle: (target) => call('powerCycle', () => void power.set(target.machine.id, 'on')),
    setBootDevice: () => call('setBootDevice', () => undefined),
  };
}

describe('a sequence step and what it proves', () => {
  const failOn: { op: keyof PowerDriver | null } = { op: null };
  let f: CoordinatorFixture;

  beforeAll(async () => {
    f = await startCoordinator({ powerDrivers: new PowerDrivers([bmc(failOn)]) });
  });
  afterAll(async () => f.close());

  const eventsOf = (machineId: string, fromSeq: number) =>
    [...f.coordinator.events.since(fromSeq)].filter((e) => e.machineId === machineId).map((e) => ({ ...e, step: e.details['step'] }));

  it('stores a power step with the power state it proved, and the last step with DEPLOYED: one write a step', async () => {
    const machine = await f.machine('steps-1');
    // Outside a sequence (commissioning's power query), the state is recorded at once.
    expect(f.coordinator.store.tables.machines.get(machine.id)).toMatchObject({ powerState: 'on' });
    await f.admin.call('MachineService', 'AllocateMachine', { constraints: { tags: [] } });
    const fromSeq = f.coordinator.events.lastSeq();
    const write = vi.spyOn(f.coordinator.store, 'write');
    try {
      await f.admin.call('DeploymentService', 'DeployMachine', { machine: machine.id, bootDevice: 'disk' });
      await f.coordinator.sequencer.settled(machine.id);
      // The deploy call's write, then one per step: read-power, set-boot-deploy, restore-off,
      // restore-on, finish. (Before: one more for each power state, and one for DEPLOYED.) So each
      // power state below was stored with its step's event, and DEPLOYED with the finish step.
      expect(write).toHaveBeenCalledTimes(6);
    } finally {
      write.mockRestore();
    }
    const events = eventsOf(machine.id, fromSeq);
    const kinds = events.map((e) =>
      e.kind === 'sequence.step' ? `step ${e.step}` : e.kind === 'machine.transition' ? e.toStatus : e.kind,
    );
    expect(kinds).toEqual([
      'DEPLOYING',
      'sequence.started',
      'step read-power',
      'step set-boot-deploy',
      'machine.power-state',
      'step restore-off',
      'machine.power-state',
      'step restore-on',
      'DEPLOYED',
      'step finish',
    ]);
    expect(events[4]!.details).toMatchObject({ powerState: 'off', source: 'off' });
    expect(events[6]!.details).toMatchObject({ powerState: 'on', source: 'on' });
    expect(f.coordinator.store.tables.machines.get(machine.id)).toMatchObject({ status: 'DEPLOYED', powerState: 'on' });
    expect(f.coordinator.store.tables.sequences.get(machine.id)).toBeUndefined();
  });

  it('keeps what a failing step proved before it failed, with the failure', async () => {
    const machine = await f.machine('steps-2');
    await f.admin.call('MachineService', 'AllocateMachine', { constraints: { tags: [] } });
    const fromSeq = f.coordinator.events.lastSeq();
    failOn.op = 'powerOn'; // restore-off powers off, then restore-on fails
    await f.admin.call('DeploymentService', 'DeployMachine', { machine: machine.id, bootDevice: 'disk' });
    await f.coordinator.sequencer.settled(machine.id);
    const events = eventsOf(machine.id, fromSeq);
    const off = events.findIndex((e) => e.kind === 'machine.power-state');
    expect(events[off]!.details).toMatchObject({ powerState: 'off' });
    expect(events[off + 1]).toMatchObject({ kind: 'sequence.step', step: 'restore-off' });
    expect(events.find((e) => e.kind === 'sequence.step-failed')).toMatchObject({ step: 'restore-on' });
    expect(f.coordinator.store.tables.machines.get(machine.id)).toMatchObject({ status: 'FAILED_DEPLOYMENT', powerState: 'off' });
  });
});
