// ListMachines filters by zone, tags and reservation in the API (so a page of a filtered list is
// full, whatever the fleet size), and answers per-status counts of what the caller may see: a
// member's filters and counts never reach past its visibility. moorctl passes the filters on.
import * as grpc from '@grpc/grpc-js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import type { ListMachinesRequest } from '../../proto/generated/index.js';
import { expectJson, moorctl } from '../harness/coordinator-cli.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';

describe('ListMachines filters and status counts', () => {
  let f: CoordinatorFixture;
  let alice: CoordinatorClient;
  let olga: CoordinatorClient;

  beforeAll(async () => {
    f = await startCoordinator();
    alice = await f.user('alice', 'member', ['ops']);
    olga = await f.user('olga', 'observer');
    const bob = await f.user('bob', 'member');
    await f.machine('z1-gpu', { zone: 'z1', tags: ['gpu', 'nvme'] });
    await f.machine('z1-plain', { zone: 'z1' });
    await f.machine('z2-gpu', { zone: 'z2', tags: ['gpu'] });
    await f.machine('z2-ops', { zone: 'z2', tags: ['gpu', 'nvme'] });
    await f.machine('z2-bob', { zone: 'z2', tags: ['gpu', 'nvme'] });
    await f.machine('z2-broken', { zone: 'z2', tags: ['nvme'] });
    await f.machine('z1-taken', { zone: 'z1', tags: ['gpu', 'nvme'] });
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 'z2-ops', holder: { kind: 'group', group: 'ops' } });
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 'z2-bob', holder: { kind: 'user', user: 'bob' } });
    await f.admin.call('MachineService', 'MarkBroken', { machine: 'z2-broken', reason: 'fan' });
    // bob owns z1-taken: alice cannot see it, whatever filter she gives.
    await bob.call('MachineService', 'AllocateMachine', { constraints: { name: 'z1-taken' } });
  });
  afterAll(async () => f.close());

  async function names(client: CoordinatorClient, request: Partial<ListMachinesRequest>): Promise<string[]> {
    const { machines } = await client.call('MachineService', 'ListMachines', request);
    return machines.map((m) => m.hostname).sort();
  }

  it('filters by zone, by every tag given and by reservation', async () => {
    expect(await names(f.admin, { zone: 'z1' })).toEqual(['z1-gpu', 'z1-plain', 'z1-taken']);
    expect(await names(f.admin, { tags: ['gpu', 'nvme'] })).toEqual(['z1-gpu', 'z1-taken', 'z2-bob', 'z2-ops']);
    expect(await names(f.admin, { zone: 'z2', tags: ['nvme'] })).toEqual(['z2-bob', 'z2-broken', 'z2-ops']);
    expect(await names(f.admin, { reservedFor: 'group:ops' })).toEqual(['z2-ops']);
    expect(await names(f.admin, { reservedFor: 'user:bob' })).toEqual(['z2-bob']);
    expect(await names(f.admin, { reservedFor: 'group:bob' })).toEqual([]);
    expect(await names(f.admin, { reservedFor: 'ops' })).toEqual(['z2-ops']);
    expect(await names(f.admin, { reservedFor: '-', zone: 'z2' })).toEqual(['z2-broken', 'z2-gpu']);
    expect(await names(olga, { tags: ['gpu'], status: 'MACHINE_STATUS_ALLOCATED' })).toEqual(['z1-taken']);
  });

  it("keeps a member's filtered list within what the member may see", async () => {
    expect(await names(alice, {})).toEqual(['z1-gpu', 'z1-plain', 'z2-broken', 'z2-gpu', 'z2-ops']);
    expect(await names(alice, { tags: ['gpu', 'nvme'] })).toEqual(['z1-gpu', 'z2-ops']);
    expect(await names(alice, { zone: 'z1' })).toEqual(['z1-gpu', 'z1-plain']);
    expect(await names(alice, { reservedFor: 'user:bob' })).toEqual([]);
    expect(await names(alice, { reservedFor: 'group:ops', pool: 'default' })).toEqual(['z2-ops']);
  });

  it('pages a filtered list full, with the rest on the next page', async () => {
    const first = await f.admin.call('MachineService', 'ListMachines', { tags: ['gpu'], pageSize: 2 });
    expect(first.machines.length).toBe(2);
    expect(first.machines.every((m) => m.tags.includes('gpu'))).toBe(true);
    const rest = await f.admin.call('MachineService', 'ListMachines', { tags: ['gpu'], pageSize: 10, pageToken: first.nextPageToken });
    expect([...first.machines, ...rest.machines].map((m) => m.hostname).sort()).toEqual([
      'z1-gpu',
      'z1-taken',
      'z2-bob',
      'z2-gpu',
      'z2-ops',
    ]);
  });

  it('counts per status what the caller may see, only when asked', async () => {
    const counts = async (client: CoordinatorClient, request: Partial<ListMachinesRequest> = {}): Promise<Record<string, number>> => {
      const reply = await client.call('MachineService', 'ListMachines', { withStatusCounts: true, pageSize: 1, ...request });
      return Object.fromEntries(reply.statusCounts.map((c) => [c.status.replace('MACHINE_STATUS_', ''), c.count]));
    };
    const fleet = { READY: 5, BROKEN: 1, ALLOCATED: 1 };
    expect(await counts(f.admin)).toEqual(fleet);
    expect(await counts(olga)).toEqual(fleet);
    // alice: the free unreserved ones, the one reserved for ops; not bob's reservation nor bob's machine.
    expect(await counts(alice)).toEqual({ READY: 4, BROKEN: 1 });
    // The counts are of the caller's whole view, whatever the other filters.
    expect(await counts(alice, { zone: 'z1', status: 'MACHINE_STATUS_READY' })).toEqual({ READY: 4, BROKEN: 1 });
    const plain = await f.admin.call('MachineService', 'ListMachines', {});
    expect(plain.statusCounts).toEqual([]);
  });

  it('refuses a malformed reservation filter naming the field', async () => {
    for (const bad of ['team:ops', 'user:', 'user:Bad Name']) {
      const error = (await f.admin
        .call('MachineService', 'ListMachines', { reservedFor: bad })
        .catch((e: unknown) => e)) as grpc.ServiceError;
      expect(error.code, bad).toBe(grpc.status.INVALID_ARGUMENT);
      expect(error.details, bad).toMatch(/reserved_for/);
    }
  });

  it('moorctl machine list passes --zone, --tag and --reserved-for on', async () => {
    const env = { MOORING_COORDINATOR: f.address, MOORING_CA: join(f.dataDir, 'ca.crt') };
    const list = await expectJson(
      moorctl(
        ['--token-file', join(f.dataDir, 'admin.token'), '--json', 'machine', 'list', '--zone', 'z2', '--tag', 'gpu', '--tag', 'nvme'],
        env,
      ),
    );
    expect((list['machines'] as { hostname: string }[]).map((m) => m.hostname).sort()).toEqual(['z2-bob', 'z2-ops']);
    const reserved = await expectJson(
      moorctl(['--token-file', join(f.dataDir, 'admin.token'), '--json', 'machine', 'list', '--reserved-for', 'user:bob'], env),
    );
    expect((reserved['machines'] as { hostname: string }[]).map((m) => m.hostname)).toEqual(['z2-bob']);
  });
});
