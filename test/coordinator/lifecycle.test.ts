// The machine lifecycle: the guard table itself (pure), and over gRPC that an illegal request
// answers FAILED_PRECONDITION naming the current state and changes nothing.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canTransition, checkTransition, fixedStatus } from '../../coordinator/src/machines/lifecycle.js';
import { IllegalTransitionError } from '../../coordinator/src/machines/errors.js';
import { MACHINE_STATUSES, type Machine, type MachineStatus } from '../../coordinator/src/machines/machine.js';
import { manualPowerDriver, PowerDrivers } from '../../coordinator/src/power/power-driver.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

describe('lifecycle table', () => {
  it('allows the main path and the returns from failure', () => {
    const path: MachineStatus[] = ['NEW', 'COMMISSIONING', 'READY', 'ALLOCATED', 'DEPLOYING', 'DEPLOYED', 'RELEASING', 'READY'];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
    expect(canTransition('COMMISSIONING', 'FAILED_COMMISSIONING')).toBe(true);
    expect(canTransition('FAILED_COMMISSIONING', 'COMMISSIONING')).toBe(true);
    expect(canTransition('DEPLOYING', 'FAILED_DEPLOYMENT')).toBe(true);
    expect(canTransition('FAILED_DEPLOYMENT', 'RELEASING')).toBe(true);
  });

  it('refuses shortcuts', () => {
    expect(canTransition('NEW', 'READY')).toBe(false);
    expect(canTransition('NEW', 'ALLOCATED')).toBe(false);
    expect(canTransition('READY', 'DEPLOYED')).toBe(false);
    expect(canTransition('ALLOCATED', 'READY')).toBe(false); // release goes through RELEASING
    expect(canTransition('FAILED_COMMISSIONING', 'READY')).toBe(false);
  });

  it('every status can be marked broken, and every status is reachable from NEW', () => {
    for (const status of MACHINE_STATUSES) if (status !== 'BROKEN') expect(canTransition(status, 'BROKEN'), status).toBe(true);
    const reached = new Set<MachineStatus>(['NEW']);
    for (let changed = true; changed;) {
      changed = false;
      for (const from of [...reached]) {
        for (const to of MACHINE_STATUSES) {
          if (canTransition(from, to) && !reached.has(to)) {
            reached.add(to);
            changed = true;
          }
        }
      }
    }
    expect([...reached].sort()).toEqual([...MACHINE_STATUSES].sort());
  });

  it('names the current status when refusing, and returns fixed machines to their resting state', () => {
    const machine = { id: 'm-1', status: 'READY', brokenFrom: null } as unknown as Machine;
    expect(() => checkTransition(machine, 'DEPLOYED', 'deploy')).toThrow(IllegalTransitionError);
    expect(() => checkTransition(machine, 'DEPLOYED', 'deploy')).toThrow('machine m-1 is READY: cannot deploy');
    expect(fixedStatus({ ...machine, status: 'BROKEN', brokenFrom: 'ALLOCATED' })).toBe('ALLOCATED');
    expect(fixedStatus({ ...machine, status: 'BROKEN', brokenFrom: 'COMMISSIONING' })).toBe('NEW');
  });
});

describe('lifecycle over the API', () => {
  let f: CoordinatorFixture;
  beforeAll(async () => {
    // Only the manual driver: an ipmi machine cannot be commissioned by this coordinator.
    f = await startCoordinator({ powerDrivers: new PowerDrivers([manualPowerDriver]) });
  });
  afterAll(async () => f.close());

  async function refused(call: Promise<unknown>): Promise<string> {
    try {
      await call;
    } catch (error) {
      expect((error as grpc.ServiceError).code).toBe(grpc.status.FAILED_PRECONDITION);
      return (error as grpc.ServiceError).details;
    }
    throw new Error('call unexpectedly succeeded');
  }

  it('refuses illegal requests naming the state, and changes nothing', async () => {
    const ready = await f.machine('l-1');
    const lastSeq = (await f.admin.call('EventService', 'ListEvents', { limit: 1 })).lastSeq;
    expect(await refused(f.admin.call('MachineService', 'ReleaseMachine', { machine: 'l-1' }))).toBe(
      `machine ${ready.id} is READY: cannot release`,
    );
    expect(await refused(f.admin.call('MachineService', 'MarkFixed', { machine: 'l-1' }))).toContain('is READY');
    expect(await refused(f.admin.call('MachineService', 'AnnotateMachine', { machine: 'l-1', set: { a: 'b' } }))).toContain('is READY');
    await f.admin.call('MachineService', 'AllocateMachine', { constraints: { name: 'l-1' } });
    expect(await refused(f.admin.call('MachineService', 'CommissionMachine', { machine: 'l-1' }))).toContain(
      'is ALLOCATED: cannot commission',
    );
    expect(await refused(f.admin.call('MachineService', 'DeleteMachine', { machine: 'l-1' }))).toContain('is ALLOCATED: cannot delete');
    await expect(
      f.admin.call('MachineService', 'ReserveMachine', { machine: 'l-1', holder: { kind: 'user', user: 'nobody' } }),
    ).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
      details: 'user nobody not found',
    });
    const after = await f.admin.call('MachineService', 'GetMachine', { machine: 'l-1' });
    expect(after.status).toBe('MACHINE_STATUS_ALLOCATED');
    const { events } = await f.admin.call('EventService', 'ListEvents', { sinceSeq: lastSeq });
    expect(events.map((e) => e.kind)).toEqual(['machine.transition']); // only the allocation
  });

  it('marks broken and fixed, returning to where it was', async () => {
    await f.machine('l-2');
    await f.admin.call('MachineService', 'AllocateMachine', { constraints: { name: 'l-2' }, annotations: { job: 'x' } });
    const broken = await f.admin.call('MachineService', 'MarkBroken', { machine: 'l-2', reason: 'disk failed' });
    expect(broken.status).toBe('MACHINE_STATUS_BROKEN');
    expect(broken.statusReason).toBe('disk failed');
    expect(await refused(f.admin.call('MachineService', 'MarkBroken', { machine: 'l-2' }))).toContain('is BROKEN');
    const fixed = await f.admin.call('MachineService', 'MarkFixed', { machine: 'l-2', reason: 'disk replaced' });
    expect(fixed.status).toBe('MACHINE_STATUS_ALLOCATED');
    expect(fixed.owner).toBe('admin');
    expect(fixed.annotations).toEqual({ job: 'x' });
  });

  it('fails commissioning when the power driver is not available, and records why', async () => {
    const machine = await f.admin.call('MachineService', 'EnlistMachine', {
      hostname: 'l-ipmi',
      arch: 'amd64',
      cores: 4,
      memoryMib: 4096,
      power: { driver: 'POWER_DRIVER_IPMI', address: '10.0.0.9', user: 'admin', password: 'hunter2' },
      commission: true,
    });
    expect(machine.status).toBe('MACHINE_STATUS_FAILED_COMMISSIONING');
    expect(machine.statusReason).toBe('no ipmi power driver is available in this coordinator');
    // A failed machine may be commissioned again or deleted; it is not READY.
    await expect(f.admin.call('MachineService', 'AllocateMachine', { constraints: { name: 'l-ipmi' } })).rejects.toMatchObject({
      code: grpc.status.RESOURCE_EXHAUSTED,
    });
    expect((await f.admin.call('MachineService', 'CommissionMachine', { machine: 'l-ipmi' })).status).toBe(
      'MACHINE_STATUS_FAILED_COMMISSIONING',
    );
    await f.admin.call('MachineService', 'DeleteMachine', { machine: 'l-ipmi' });
    await expect(f.admin.call('MachineService', 'GetMachine', { machine: 'l-ipmi' })).rejects.toMatchObject({
      code: grpc.status.NOT_FOUND,
    });
    const { events } = await f.admin.call('EventService', 'ListEvents', { sinceSeq: 0, limit: 5000 });
    expect(
      events
        .filter((e) => e.machineId === machine.id)
        .map((e) => e.kind)
        .at(-1),
    ).toBe('machine.deleted');
  });
});
