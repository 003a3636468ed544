// 64 parallel allocating clients over real gRPC (each its own TLS connection): no machine is ever
// handed to two callers, and nobody gets a machine reserved for someone else. On both store
// backends: LMDB and a real etcd member (test/harness/store-backends.ts).
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isServiceError, type CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { STORE_BACKENDS, stopEtcd, storeFlags } from '../harness/store-backends.js';

const CLIENTS = 64;

afterAll(stopEtcd);

describe.each(STORE_BACKENDS)('64 parallel allocating clients (%s store)', (backend) => {
  let f: CoordinatorFixture;
  const members = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7'];
  const inGroup = new Set(['m0', 'm1', 'm2']);
  const tokens = new Map<string, string>();
  // hostname -> who may take it ('' = anyone)
  const reservedFor = new Map<string, string>();

  beforeAll(async () => {
    f = await startCoordinator({ flags: await storeFlags(backend) });
    await f.admin.call('TenancyService', 'CreateGroup', { name: 'crew' });
    for (const name of [...members, 'outsider']) {
      await f.admin.call('TenancyService', 'CreateUser', { name, role: 'ROLE_MEMBER' });
      if (inGroup.has(name)) await f.admin.call('TenancyService', 'AddGroupMember', { group: 'crew', user: name });
      tokens.set(name, (await f.admin.call('TenancyService', 'CreateToken', { user: name })).secret);
    }
    const specs = Array.from({ length: 240 }, (_, i) => ({ hostname: `c-${i}`, cores: 2 + (i % 7), memoryMib: 4096 * (1 + (i % 3)) }));
    for (let i = 0; i < specs.length; i += 40) await Promise.all(specs.slice(i, i + 40).map((s) => f.machine(s.hostname, s)));
    // 40 for single members, 40 for the group, 20 for an outsider who never asks; the rest free.
    for (let i = 0; i < 100; i++) {
      const holder =
        i < 40
          ? { kind: 'user' as const, user: members[i % members.length]! }
          : i < 80
            ? { kind: 'group' as const, group: 'crew' }
            : { kind: 'user' as const, user: 'outsider' };
      await f.admin.call('MachineService', 'ReserveMachine', { machine: `c-${i}`, holder });
      reservedFor.set(`c-${i}`, holder.kind === 'user' ? `user:${holder.user}` : 'group:crew');
    }
  }, 120_000);
  afterAll(async () => f?.close());

  const clientsFor = (): { user: string; client: CoordinatorClient }[] =>
    Array.from({ length: CLIENTS }, (_, i) => {
      const user = members[i % members.length]!;
      return { user, client: f.client(tokens.get(user)!, { ownConnection: true }) };
    });

  it('hands each machine to exactly one eligible caller until the pool is exhausted', async () => {
    const taken: { user: string; hostname: string; id: string }[] = [];
    const exhausted: string[] = [];
    await Promise.all(
      clientsFor().map(async ({ user, client }) => {
        for (;;) {
          try {
            const { machine } = await client.call('MachineService', 'AllocateMachine', {});
            taken.push({ user, hostname: machine!.hostname, id: machine!.id });
          } catch (error) {
            if (isServiceError(error) && error.code === grpc.status.RESOURCE_EXHAUSTED) {
              exhausted.push(error.details);
              return;
            }
            throw error;
          }
        }
      }),
    );
    expect(exhausted).toHaveLength(CLIENTS);
    const ids = taken.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Everything except the outsider's 20 machines went out.
    expect(taken).toHaveLength(240 - 20);
    for (const { user, hostname } of taken) {
      const holder = reservedFor.get(hostname);
      if (holder === undefined) continue;
      expect(holder === `user:${user}` || (holder === 'group:crew' && inGroup.has(user))).toBe(true);
    }
    // The store agrees with what the callers were told.
    for (const { user, id } of taken.filter((_, i) => i % 10 === 0)) {
      const machine = await f.admin.call('MachineService', 'GetMachine', { machine: id });
      expect(machine.status).toBe('MACHINE_STATUS_ALLOCATED');
      expect(machine.owner).toBe(user);
    }
  }, 120_000); // a bound for loaded machines, not a timed assertion

  it('never double-allocates under allocate/release churn', async () => {
    const { machines } = await f.admin.call('MachineService', 'ListMachines', { status: 'MACHINE_STATUS_ALLOCATED', pageSize: 1000 });
    await Promise.all(machines.map((m) => f.admin.call('MachineService', 'ReleaseMachine', { machine: m.id })));
    // holder per machine: 'held' until its release is sent, then 'releasing'.
    const holders = new Map<string, { client: number; state: 'held' | 'releasing' }>();
    const doubles: string[] = [];
    let allocations = 0;
    await Promise.all(
      clientsFor().map(async ({ client }, index) => {
        for (let round = 0; round < 15; round++) {
          const { machine } = await client.call('MachineService', 'AllocateMachine', { constraints: { minCores: 3 } });
          allocations++;
          const id = machine!.id;
          if (holders.get(id)?.state === 'held') doubles.push(id);
          holders.set(id, { client: index, state: 'held' });
          holders.set(id, { client: index, state: 'releasing' });
          await client.call('MachineService', 'ReleaseMachine', { machine: id });
          if (holders.get(id)?.client === index) holders.delete(id);
        }
      }),
    );
    expect(allocations).toBe(CLIENTS * 15);
    expect(doubles).toEqual([]);
    const { machines: after } = await f.admin.call('MachineService', 'ListMachines', {
      status: 'MACHINE_STATUS_ALLOCATED',
      pageSize: 1000,
    });
    expect(after).toEqual([]);
  }, 120_000); // a bound for loaded machines, not a timed assertion
});
