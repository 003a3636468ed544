// The role and visibility matrix over real gRPC. Members see the machines they own, and machines
// nobody owns that are unreserved or reserved for them or their groups; anything else (a machine
// someone else owns, even one reserved for them) answers NOT_FOUND, never PERMISSION_DENIED.
// Observers and admins see everything; observers change nothing.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

async function statusOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return grpc.status[(error as grpc.ServiceError).code] ?? 'UNKNOWN';
  }
}

describe('roles and visibility', () => {
  let f: CoordinatorFixture;
  const as: Record<string, CoordinatorClient> = {};

  beforeAll(async () => {
    f = await startCoordinator();
    as['admin'] = f.admin;
    as['alice'] = await f.user('alice', 'member', ['ops']); // member of a group
    as['bob'] = await f.user('bob', 'member');
    as['carol'] = await f.user('carol', 'member');
    as['olga'] = await f.user('olga', 'observer');
    for (const name of ['v-free', 'v-alice', 'v-ops', 'v-bob', 'v-owned']) await f.machine(name);
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 'v-alice', holder: { kind: 'user', user: 'alice' } });
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 'v-ops', holder: { kind: 'group', group: 'ops' } });
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 'v-bob', holder: { kind: 'user', user: 'bob' } });
    // carol takes v-owned while it is free; then it is reserved for bob: carol still owns it.
    await as['carol'].call('MachineService', 'AllocateMachine', { constraints: { name: 'v-owned' } });
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 'v-owned', holder: { kind: 'user', user: 'bob' } });
  });
  afterAll(async () => f.close());

  const visible: Record<string, string[]> = {
    admin: ['v-alice', 'v-bob', 'v-free', 'v-ops', 'v-owned'],
    olga: ['v-alice', 'v-bob', 'v-free', 'v-ops', 'v-owned'],
    alice: ['v-alice', 'v-free', 'v-ops'],
    // v-owned is reserved for bob but carol owns it: invisible to bob.
    bob: ['v-bob', 'v-free'],
    carol: ['v-free', 'v-owned'],
  };

  it('lists and shows exactly the visible machines; the rest are NOT_FOUND', async () => {
    for (const [user, expected] of Object.entries(visible)) {
      const { machines } = await as[user]!.call('MachineService', 'ListMachines', {});
      expect(machines.map((m) => m.hostname).sort(), user).toEqual(expected);
      for (const hostname of visible['admin']!) {
        const got = await statusOf(as[user]!.call('MachineService', 'GetMachine', { machine: hostname }));
        expect(`${user} ${hostname} ${got}`).toBe(`${user} ${hostname} ${expected.includes(hostname) ? 'OK' : 'NOT_FOUND'}`);
      }
    }
  });

  it('answers NOT_FOUND, not PERMISSION_DENIED, to a member acting on a machine they cannot see', async () => {
    expect(await statusOf(as['carol']!.call('MachineService', 'ReleaseMachine', { machine: 'v-alice' }))).toBe('NOT_FOUND');
    expect(await statusOf(as['carol']!.call('MachineService', 'AnnotateMachine', { machine: 'v-ops', set: { a: 'b' } }))).toBe('NOT_FOUND');
    expect(await statusOf(as['carol']!.call('EventService', 'ListEvents', { machine: 'v-bob' }))).toBe('NOT_FOUND');
    // Owned by carol, reserved for bob: still someone else's machine, so it does not exist for bob.
    expect(await statusOf(as['bob']!.call('MachineService', 'ReleaseMachine', { machine: 'v-owned' }))).toBe('NOT_FOUND');
    // Visible and free, but not bob's: a question of the machine's state, not of permission.
    expect(await statusOf(as['bob']!.call('MachineService', 'ReleaseMachine', { machine: 'v-free' }))).toBe('FAILED_PRECONDITION');
  });

  it('lets observers read everything and change nothing', async () => {
    const olga = as['olga']!;
    expect((await olga.call('EventService', 'ListEvents', {})).events.length).toBeGreaterThan(0);
    expect((await olga.call('TenancyService', 'ListUsers', {})).users.length).toBe(5);
    const attempts = [
      olga.call('MachineService', 'AllocateMachine', {}),
      olga.call('MachineService', 'AllocateMachine', { dryRun: true }),
      olga.call('MachineService', 'ReleaseMachine', { machine: 'v-owned' }),
      olga.call('MachineService', 'AnnotateMachine', { machine: 'v-owned', set: { a: 'b' } }),
      olga.call('MachineService', 'EnlistMachine', {
        hostname: 'o-1',
        arch: 'amd64',
        cores: 1,
        memoryMib: 1,
        power: { driver: 'POWER_DRIVER_MANUAL' },
      }),
      olga.call('MachineService', 'ReserveMachine', { machine: 'v-free', holder: { kind: 'user', user: 'olga' } }),
      olga.call('MachineService', 'MarkBroken', { machine: 'v-free' }),
      olga.call('MachineService', 'DeleteMachine', { machine: 'v-free' }),
      olga.call('PoolService', 'CreatePool', { name: 'olgas' }),
      olga.call('TenancyService', 'CreateUser', { name: 'olga2', role: 'ROLE_ADMIN' }),
      olga.call('TenancyService', 'CreateToken', { user: 'alice' }),
    ];
    for (const attempt of attempts) expect(await statusOf(attempt)).toBe('PERMISSION_DENIED');
    expect((await f.admin.call('MachineService', 'GetMachine', { machine: 'v-free' })).status).toBe('MACHINE_STATUS_READY');
  });

  it('keeps admin-only operations from members', async () => {
    const bob = as['bob']!;
    for (const attempt of [
      bob.call('MachineService', 'EnlistMachine', {
        hostname: 'b-1',
        arch: 'amd64',
        cores: 1,
        memoryMib: 1,
        power: { driver: 'POWER_DRIVER_MANUAL' },
      }),
      bob.call('MachineService', 'CommissionMachine', { machine: 'v-free' }),
      bob.call('MachineService', 'ReserveMachine', { machine: 'v-free', holder: { kind: 'user', user: 'bob' } }),
      bob.call('MachineService', 'UnreserveMachine', { machine: 'v-bob' }),
      bob.call('TenancyService', 'CreateGroup', { name: 'bobs' }),
      bob.call('TenancyService', 'ListTokens', { user: 'alice' }),
    ]) {
      expect(await statusOf(attempt)).toBe('PERMISSION_DENIED');
    }
  });

  it('shows members only the events of machines they can see, and their own actions', async () => {
    const { events } = await as['carol']!.call('EventService', 'ListEvents', {});
    const machineIds = new Set(events.map((e) => e.machineId).filter(Boolean));
    const ids = new Map<string, string>();
    for (const hostname of visible['admin']!)
      ids.set((await f.admin.call('MachineService', 'GetMachine', { machine: hostname })).id, hostname);
    expect([...machineIds].map((id) => ids.get(id)).sort()).toEqual(visible['carol']);
    expect(events.every((e) => e.machineId !== '' || e.actor === 'carol')).toBe(true);
  });

  it('lets a member allocate and release their own machine, and make tokens only for themselves', async () => {
    const bob = as['bob']!;
    const { machine } = await bob.call('MachineService', 'AllocateMachine', {});
    expect(machine!.hostname).toBe('v-bob');
    expect((await bob.call('MachineService', 'ReleaseMachine', { machine: 'v-bob' })).status).toBe('MACHINE_STATUS_READY');
    const own = await bob.call('TenancyService', 'CreateToken', { description: 'ci' });
    expect(own.token?.user).toBe('bob');
    expect((await bob.call('TenancyService', 'ListTokens', {})).tokens.map((t) => t.id)).toContain(own.token?.id);
  });
});
