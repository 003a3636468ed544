// Allocation order and outcomes over real gRPC: reservations first (caller, then the caller's
// groups, then unreserved), smallest fit first with ties by id, dry runs, named machines,
// pool auto-reservation on READY, release keeping the reservation, and the exhaustion message.
// On both store backends: LMDB and a real etcd member (test/harness/store-backends.ts).
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import type { AllocationConstraints } from '../../proto/generated/index.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { STORE_BACKENDS, stopEtcd, storeFlags } from '../harness/store-backends.js';

async function allocate(client: CoordinatorClient, constraints: AllocationConstraints = {}, dryRun = false): Promise<string> {
  const { machine } = await client.call('MachineService', 'AllocateMachine', { constraints, dryRun });
  return machine!.hostname;
}

async function exhaustion(client: CoordinatorClient, constraints: AllocationConstraints = {}): Promise<string> {
  try {
    await client.call('MachineService', 'AllocateMachine', { constraints });
  } catch (error) {
    expect((error as grpc.ServiceError).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    return (error as grpc.ServiceError).details;
  }
  throw new Error('allocation unexpectedly succeeded');
}

afterAll(stopEtcd);

describe.each(STORE_BACKENDS)('allocation (%s store)', (backend) => {
  let f: CoordinatorFixture;
  let alice: CoordinatorClient;
  let carol: CoordinatorClient;

  beforeAll(async () => {
    f = await startCoordinator({ flags: await storeFlags(backend) });
    alice = await f.user('alice', 'member', ['ops']);
    await f.user('bob', 'member', ['ops']);
    carol = await f.user('carol', 'member');
    await f.admin.call('PoolService', 'CreatePool', { name: 'tiers' });
    await f.admin.call('PoolService', 'CreatePool', { name: 'fit' });
  }, 120_000);
  afterAll(async () => f?.close());

  it('prefers machines reserved for the caller, then for their groups, then unreserved', async () => {
    // The reserved machines are the biggest: reservation beats size.
    await f.machine('t-free', { cores: 2, memoryMib: 2048, pool: 'tiers' });
    await f.machine('t-ops', { cores: 16, memoryMib: 65536, pool: 'tiers' });
    await f.machine('t-alice', { cores: 32, memoryMib: 131072, pool: 'tiers' });
    await f.machine('t-carol', { cores: 1, memoryMib: 1024, pool: 'tiers' });
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 't-alice', holder: { kind: 'user', user: 'alice' } });
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 't-ops', holder: { kind: 'group', group: 'ops' } });
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 't-carol', holder: { kind: 'user', user: 'carol' } });

    expect(await allocate(alice, { pool: 'tiers' }, true)).toBe('t-alice');
    expect(await allocate(alice, { pool: 'tiers' })).toBe('t-alice');
    expect(await allocate(alice, { pool: 'tiers' })).toBe('t-ops');
    expect(await allocate(alice, { pool: 'tiers' })).toBe('t-free');
    // t-carol is READY but reserved for someone else: never handed to alice.
    expect(await exhaustion(alice, { pool: 'tiers' })).toMatch(/^no machine available: \d+ READY visible to alice/u);
    expect(await allocate(carol, { pool: 'tiers' })).toBe('t-carol');
  });

  it('releases back to READY keeping the reservation, clearing owner and annotations', async () => {
    const { machine } = await alice
      .call('MachineService', 'AllocateMachine', { constraints: { pool: 'tiers' } })
      .catch(() => ({ machine: null }));
    expect(machine).toBeNull(); // all taken by the previous test
    const before = await alice.call('MachineService', 'AnnotateMachine', { machine: 't-ops', set: { job: 'build-42' } });
    expect(before.annotations).toEqual({ job: 'build-42' });
    const released = await alice.call('MachineService', 'ReleaseMachine', { machine: 't-ops', reason: 'done' });
    expect(released.status).toBe('MACHINE_STATUS_READY');
    expect(released.owner).toBe('');
    expect(released.annotations).toEqual({});
    expect(released.reservedFor).toEqual({ kind: 'group', group: 'ops' });
    const { events } = await f.admin.call('EventService', 'ListEvents', { machine: 't-ops' });
    expect(events.slice(-2).map((e) => `${e.fromStatus}->${e.toStatus}`)).toEqual(['ALLOCATED->RELEASING', 'RELEASING->READY']);
  });

  it('gives the smallest fit first (cores + memory GiB), ties broken by id', async () => {
    const specs = [
      { hostname: 'f-big', cores: 16, memoryMib: 65536 }, // cost 80
      { hostname: 'f-tie-1', cores: 8, memoryMib: 32768 }, // cost 40
      { hostname: 'f-tie-2', cores: 8, memoryMib: 32768 }, // cost 40
      { hostname: 'f-fat', cores: 4, memoryMib: 131072 }, // cost 132, but only 4 cores
      { hostname: 'f-small', cores: 2, memoryMib: 4096 }, // cost 6, too few cores
    ];
    const ids = new Map<string, string>();
    for (const s of specs) ids.set(s.hostname, (await f.machine(s.hostname, { ...s, pool: 'fit' })).id);
    const [firstTie, secondTie] = ['f-tie-1', 'f-tie-2'].sort((a, b) => (ids.get(a)! < ids.get(b)! ? -1 : 1));
    expect(await allocate(carol, { pool: 'fit', minCores: 8 })).toBe(firstTie);
    expect(await allocate(carol, { pool: 'fit', minCores: 8 })).toBe(secondTie);
    expect(await allocate(carol, { pool: 'fit', minCores: 8 })).toBe('f-big');
    expect(await allocate(carol, { pool: 'fit', minMemoryMib: 100 * 1024 })).toBe('f-fat');
    expect(await allocate(carol, { pool: 'fit' })).toBe('f-small');
  });

  it('allocates a named machine only if it is READY, fits and is not reserved for someone else', async () => {
    await f.machine('named-1', { tags: ['gpu'] });
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 'named-1', holder: { kind: 'user', user: 'bob' } });
    expect(await exhaustion(alice, { name: 'named-1' })).toContain('0 named named-1');
    await f.admin.call('MachineService', 'UnreserveMachine', { machine: 'named-1' });
    expect(await exhaustion(alice, { name: 'named-1', tags: ['fpga'] })).toMatch(/1 named named-1, 0 with tag fpga$/);
    expect(await allocate(alice, { name: 'named-1', tags: ['gpu'] })).toBe('named-1');
  });

  it('a dry run takes nothing', async () => {
    await f.machine('dry-1', { zone: 'dry' });
    const seen = await allocate(carol, { zone: 'dry' }, true);
    expect(seen).toBe('dry-1');
    expect((await f.admin.call('MachineService', 'GetMachine', { machine: 'dry-1' })).status).toBe('MACHINE_STATUS_READY');
    expect(await allocate(carol, { zone: 'dry' })).toBe('dry-1');
  });

  it('says how many machines each constraint left when nothing fits', async () => {
    const g = await startCoordinator();
    try {
      const dana = await g.user('dana', 'member');
      const specs = [
        { cores: 64, tags: ['fast'] },
        { cores: 64, tags: [] },
        { cores: 96, tags: ['fast'] },
        { cores: 8, tags: ['fast'] },
        { cores: 8, tags: [] },
      ];
      for (const [i, s] of specs.entries()) await g.machine(`x-${i}`, s);
      await g.machine('x-reserved', { cores: 128, tags: ['gpu'] });
      await g.admin.call('MachineService', 'ReserveMachine', { machine: 'x-reserved', holder: { kind: 'user', user: 'admin' } });
      await g.machine('x-new', { cores: 128 });
      await g.admin.call('MachineService', 'MarkBroken', { machine: 'x-new', reason: 'fan' });
      expect(await exhaustion(dana, { minCores: 64, tags: ['fast', 'gpu'] })).toBe(
        'no machine available: 5 READY visible to dana, 3 with >= 64 cores, 2 with tag fast, 0 with tag gpu',
      );
      expect(await exhaustion(dana, { arch: 'arm64', smartNic: 'SMART_NIC_CONSTRAINT_REQUIRED' })).toBe(
        'no machine available: 5 READY visible to dana, 0 with arch arm64',
      );
      expect(await exhaustion(dana, { minMemoryMib: 1024 * 1024, notTags: ['fast'] })).toBe(
        'no machine available: 5 READY visible to dana, 0 with >= 1024 GiB memory',
      );
    } finally {
      await g.close();
    }
  });

  it('applies a pool auto-reservation in the transaction that makes the machine READY', async () => {
    await f.admin.call('PoolService', 'CreatePool', { name: 'gpu', autoReserveFor: { kind: 'group', group: 'ops' } });
    const machine = await f.machine('auto-1', { pool: 'gpu', smartNic: true });
    expect(machine.status).toBe('MACHINE_STATUS_READY');
    expect(machine.reservedFor).toEqual({ kind: 'group', group: 'ops' });
    // The READY transition itself carries the reservation: there is no event in which it was free.
    const { events } = await f.admin.call('EventService', 'ListEvents', { machine: 'auto-1' });
    const ready = events.find((e) => e.toStatus === 'READY');
    expect(ready?.details['autoReservedFor']).toBe('group ops');
    expect(events.filter((e) => e.kind === 'machine.reserved')).toEqual([]);
    await expect(carol.call('MachineService', 'AllocateMachine', { constraints: { pool: 'gpu' } })).rejects.toMatchObject({
      code: grpc.status.RESOURCE_EXHAUSTED,
    });
    expect(await allocate(alice, { pool: 'gpu', smartNic: 'SMART_NIC_CONSTRAINT_REQUIRED' })).toBe('auto-1');
  });
});
