// Issue 12, tenancy, over real gRPC: what one member can learn about another's machines. Alice
// allocates an unreserved machine; for bob it must not exist. Every read and action answers as it
// does for a made-up name: the same status code and the same message, name for name. Events
// (list and watch), ports, VM hosts' instance lists and the exhaustion message leak nothing of it,
// and members list only the users, groups, agents and VM hosts that are theirs.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import type { Machine } from '../../coordinator/src/machines/machine.js';
import type { Event__Output, Machine__Output } from '../../proto/generated/index.js';
import { startCoordinator, type CoordinatorFixture } from '../harness/coordinator-fixture.js';
import { waitFor } from '../harness/ovs.js';
import { instance, report } from './vmhosts/lxd-report.js';
import { putVmHost } from './vmhosts/vm-host-record.js';

interface Outcome {
  readonly code: string;
  readonly details: string;
}

async function outcome(call: Promise<unknown>): Promise<Outcome> {
  try {
    await call;
    return { code: 'OK', details: '' };
  } catch (error) {
    const e = error as grpc.ServiceError;
    return { code: grpc.status[e.code] ?? String(e.code), details: e.details };
  }
}

/** The first event of a watch, or how it failed. */
async function firstWatched(watch: { events: AsyncIterable<Event__Output>; cancel: () => void }): Promise<Outcome> {
  try {
    for await (const event of watch.events) return { code: 'OK', details: `event ${event.seq}` };
    return { code: 'OK', details: 'ended' };
  } catch (error) {
    const e = error as grpc.ServiceError;
    return { code: grpc.status[e.code] ?? String(e.code), details: e.details };
  } finally {
    watch.cancel();
  }
}

describe('tenancy: another member’s machine does not exist', () => {
  let f: CoordinatorFixture;
  let alice: CoordinatorClient;
  let bob: CoordinatorClient;
  let olga: CoordinatorClient;
  let taken: Machine__Output;
  let mac: string;

  beforeAll(async () => {
    f = await startCoordinator();
    alice = await f.user('alice', 'member', ['crew']);
    bob = await f.user('bob', 'member', ['team']);
    olga = await f.user('olga', 'observer');
    await f.machine('lk-taken', { smartNic: true });
    await f.machine('lk-marker');
    const allocated = await alice.call('MachineService', 'AllocateMachine', {
      constraints: { name: 'lk-taken' },
      annotations: { job: 'payroll' },
    });
    taken = allocated.machine!;
    mac = taken.ports[0]!.mac;
  });
  afterAll(async () => f?.close());

  it('keeps it out of bob’s machine list, and admins and observers still see it with its owner', async () => {
    const { machines } = await bob.call('MachineService', 'ListMachines', {});
    expect(machines.map((m) => m.hostname)).not.toContain('lk-taken');
    expect(machines.map((m) => m.hostname)).toContain('lk-marker');
    expect(await olga.call('MachineService', 'GetMachine', { machine: 'lk-taken' })).toMatchObject({
      owner: 'alice',
      annotations: { job: 'payroll' },
    });
  });

  it('answers show, every action, events and ports exactly as for a made-up machine', async () => {
    const calls: Record<string, (ref: string) => Promise<unknown>> = {
      GetMachine: (machine) => bob.call('MachineService', 'GetMachine', { machine }),
      ReleaseMachine: (machine) => bob.call('MachineService', 'ReleaseMachine', { machine, reason: 'mine now' }),
      AnnotateMachine: (machine) => bob.call('MachineService', 'AnnotateMachine', { machine, set: { job: 'stolen' } }),
      DeployMachine: (machine) => bob.call('DeploymentService', 'DeployMachine', { machine }),
      GetSequence: (machine) => bob.call('DeploymentService', 'GetSequence', { machine }),
      PowerVm: (machine) => bob.call('VmHostService', 'PowerVm', { machine, action: 'query' }),
      ListEvents: (machine) => bob.call('EventService', 'ListEvents', { machine }),
      ListPorts: (machine) => bob.call('PortService', 'ListPorts', { machine }),
      GetPort: (machine) => bob.call('PortService', 'GetPort', { machine, mac }),
    };
    // By hostname and by id, against a name and an id that never existed.
    for (const [real, madeUp] of [
      ['lk-taken', 'lk-no-such-host'],
      [taken.id, 'm-000000000000'],
    ] as const) {
      for (const [method, call] of Object.entries(calls)) {
        const hidden = await outcome(call(real));
        const missing = await outcome(call(madeUp));
        expect({ method, ...hidden }).toEqual({ method, code: 'NOT_FOUND', details: missing.details.replaceAll(madeUp, real) });
        expect(hidden.details).toBe(`machine ${real} not found`);
      }
      const watched = await firstWatched(bob.watchEvents({ machine: real }));
      const watchedMissing = await firstWatched(bob.watchEvents({ machine: madeUp }));
      expect(watched).toEqual({ code: 'NOT_FOUND', details: watchedMissing.details.replaceAll(madeUp, real) });
      // Allocating it by name fails exactly as allocating a machine that does not exist.
      const byName = await outcome(bob.call('MachineService', 'AllocateMachine', { constraints: { name: real } }));
      const byMadeUp = await outcome(bob.call('MachineService', 'AllocateMachine', { constraints: { name: madeUp } }));
      expect(byName).toEqual({ code: 'RESOURCE_EXHAUSTED', details: byMadeUp.details.replaceAll(madeUp, real) });
    }
    // Nothing of it changed.
    expect(await f.admin.call('MachineService', 'GetMachine', { machine: 'lk-taken' })).toMatchObject({
      status: 'MACHINE_STATUS_ALLOCATED',
      owner: 'alice',
      annotations: { job: 'payroll' },
    });
  });

  it('answers a free machine that is not bob’s with FAILED_PRECONDITION, not PERMISSION_DENIED', async () => {
    const marker = await bob.call('MachineService', 'GetMachine', { machine: 'lk-marker' });
    expect(await outcome(bob.call('MachineService', 'ReleaseMachine', { machine: 'lk-marker' }))).toEqual({
      code: 'FAILED_PRECONDITION',
      details: `machine ${marker.id} is not allocated to bob: allocate it first`,
    });
  });

  it('counts only the machines bob may see in the exhaustion message', async () => {
    for (const name of ['lk-alice-1', 'lk-alice-2', 'lk-alice-3']) {
      await f.machine(name);
      await f.admin.call('MachineService', 'ReserveMachine', { machine: name, holder: { kind: 'user', user: 'alice' } });
    }
    await f.machine('lk-team');
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 'lk-team', holder: { kind: 'group', group: 'team' } });
    const { machines } = await f.admin.call('MachineService', 'ListMachines', { status: 'MACHINE_STATUS_READY' });
    const forBob = machines.filter((m) => m.reservedFor === null || m.reservedFor?.user === 'bob' || m.reservedFor?.group === 'team');
    expect(forBob.length).toBeLessThan(machines.length); // alice's three are READY but not bob's to count
    const constraints = { minCores: 4096 };
    expect((await outcome(bob.call('MachineService', 'AllocateMachine', { constraints }))).details).toBe(
      `no machine available: ${forBob.length} READY visible to bob, 0 with >= 4096 cores`,
    );
    // Admins see the fleet, as before.
    expect((await outcome(f.admin.call('MachineService', 'AllocateMachine', { constraints }))).details).toMatch(
      new RegExp(`^no machine available: ${machines.length} READY, \\d+ visible to admin, 0 with >= 4096 cores$`, 'u'),
    );
  });

  it('shows bob none of alice’s events on it, listed or watched, even once it is free again', async () => {
    const listed = await bob.call('EventService', 'ListEvents', { limit: 1000 });
    expect(listed.events.filter((e) => e.machineId === taken.id && e.actor === 'alice')).toEqual([]);
    const watch = bob.watchEvents({ sinceSeq: listed.lastSeq });
    const seen: Event__Output[] = [];
    const watching = (async () => {
      for await (const event of watch.events) {
        seen.push(event);
        if (event.why === 'marker') break;
      }
      watch.cancel();
    })();
    await alice.call('MachineService', 'AnnotateMachine', { machine: 'lk-taken', set: { stage: 'two' } });
    await alice.call('MachineService', 'ReleaseMachine', { machine: 'lk-taken', reason: 'payroll done' });
    await f.admin.call('MachineService', 'MarkBroken', { machine: 'lk-marker', reason: 'marker' });
    await watching;
    expect(seen.map((e) => e.why)).toEqual(['marker']);
    // Free now, so bob sees the machine, with no owner or annotations, and none of alice's history.
    expect(await bob.call('MachineService', 'GetMachine', { machine: 'lk-taken' })).toMatchObject({ owner: '', annotations: {} });
    const history = await bob.call('EventService', 'ListEvents', { machine: 'lk-taken' });
    expect(history.events.length).toBeGreaterThan(0); // its enlistment and commissioning
    expect(history.events.filter((e) => e.actor === 'alice' || e.toStatus === 'ALLOCATED' || e.kind === 'machine.annotated')).toEqual([]);
    const adminHistory = await f.admin.call('EventService', 'ListEvents', { machine: 'lk-taken' });
    expect(adminHistory.events.filter((e) => e.actor === 'alice').length).toBeGreaterThanOrEqual(4);
  });

  it('follows group membership in a running watch: a machine of a group left is hidden from then on', async () => {
    await f.machine('lk-crew');
    await f.admin.call('MachineService', 'ReserveMachine', { machine: 'lk-crew', holder: { kind: 'group', group: 'crew' } });
    await f.machine('lk-marker-2');
    const { lastSeq } = await alice.call('EventService', 'ListEvents', { limit: 1 });
    const watch = alice.watchEvents({ sinceSeq: lastSeq });
    const seen: Event__Output[] = [];
    const watching = (async () => {
      for await (const event of watch.events) {
        seen.push(event);
        if (event.why === 'marker 2') break;
      }
      watch.cancel();
    })();
    await f.admin.call('MachineService', 'MarkBroken', { machine: 'lk-crew', reason: 'seen by the crew' });
    await f.admin.call('TenancyService', 'RemoveGroupMember', { group: 'crew', user: 'alice' });
    await f.admin.call('MachineService', 'MarkFixed', { machine: 'lk-crew', reason: 'after alice left' });
    await f.admin.call('MachineService', 'MarkBroken', { machine: 'lk-marker-2', reason: 'marker 2' });
    await watching;
    expect(seen.map((e) => e.why)).toEqual(['seen by the crew', 'marker 2']);
    await f.admin.call('TenancyService', 'AddGroupMember', { group: 'crew', user: 'alice' });
  });

  it('lists to a member only itself and its groups; observers and admins list all', async () => {
    const names = <T extends { name: string }>(items: T[]): string[] => items.map((i) => i.name).sort();
    expect(names((await bob.call('TenancyService', 'ListUsers', {})).users)).toEqual(['bob']);
    expect(names((await bob.call('TenancyService', 'ListGroups', {})).groups)).toEqual(['team']);
    expect(names((await alice.call('TenancyService', 'ListGroups', {})).groups)).toEqual(['crew']);
    expect(names((await olga.call('TenancyService', 'ListUsers', {})).users)).toEqual(['admin', 'alice', 'bob', 'olga']);
    expect(names((await olga.call('TenancyService', 'ListGroups', {})).groups)).toEqual(['crew', 'team']);
  });

  it('shows a member a pool’s auto-reservation only when it is for the member or its groups', async () => {
    await f.admin.call('PoolService', 'CreatePool', { name: 'lk-crew-pool', autoReserveFor: { kind: 'group', group: 'crew' } });
    await f.admin.call('PoolService', 'CreatePool', { name: 'lk-bob-pool', autoReserveFor: { kind: 'user', user: 'bob' } });
    const holders = async (client: CoordinatorClient): Promise<Record<string, unknown>> => {
      const { pools } = await client.call('PoolService', 'ListPools', {});
      return Object.fromEntries(pools.filter((p) => p.name.startsWith('lk-')).map((p) => [p.name, p.autoReserveFor]));
    };
    expect(await holders(bob)).toEqual({ 'lk-crew-pool': null, 'lk-bob-pool': { kind: 'user', user: 'bob' } });
    expect(await holders(alice)).toEqual({ 'lk-crew-pool': { kind: 'group', group: 'crew' }, 'lk-bob-pool': null });
    expect(await holders(olga)).toEqual({ 'lk-crew-pool': { kind: 'group', group: 'crew' }, 'lk-bob-pool': { kind: 'user', user: 'bob' } });
  });

  it('lists to a member only the agents of its own machines, others NOT_FOUND as a missing one', async () => {
    await f.machine('lk-nic', { smartNic: true }); // its smartNIC agent: dpu-lk-nic
    await f.coordinator.store.write((scope) => {
      for (const id of ['dpu-lk-nic', 'dpu-other'])
        f.coordinator.agents.enrolled(scope, id, 'smartnic', id, Date.now() + 86_400_000, 'admin');
    });
    const agentNames = async (client: CoordinatorClient): Promise<string[]> =>
      (await client.call('AgentAdminService', 'ListAgents', {})).agents.map((a) => a.id).sort();
    expect(await agentNames(bob)).toEqual([]);
    expect(await agentNames(alice)).toEqual([]);
    expect(await agentNames(olga)).toEqual(['dpu-lk-nic', 'dpu-other']);
    await alice.call('MachineService', 'AllocateMachine', { constraints: { name: 'lk-nic' } });
    expect(await agentNames(alice)).toEqual(['dpu-lk-nic']);
    expect((await alice.call('AgentAdminService', 'GetAgent', { name: 'dpu-lk-nic' })).id).toBe('dpu-lk-nic');
    expect(await agentNames(bob)).toEqual([]);
    for (const read of [
      (name: string) => bob.call('AgentAdminService', 'GetAgent', { name }),
      (name: string) => bob.call('AgentAdminService', 'GetSriov', { agent: name }),
      (name: string) => alice.call('AgentAdminService', 'GetAgent', { name }),
    ]) {
      const hidden = await outcome(read('dpu-other'));
      const missing = await outcome(read('dpu-nothing'));
      expect(hidden).toEqual({ code: 'NOT_FOUND', details: missing.details.replaceAll('dpu-nothing', 'dpu-other') });
    }
    expect(await outcome(bob.call('AgentAdminService', 'GetAgent', { name: 'dpu-lk-nic' }))).toEqual({
      code: 'NOT_FOUND',
      details: 'agent dpu-lk-nic not found',
    });
  });

  it('shows a member only VM hosts running a VM it can see, and of each only those VMs', async () => {
    const machineOf = (host: string, name: string): Machine | undefined => {
      const id = f.coordinator.store.tables.vmInstances.get([host, name]);
      return id === undefined ? undefined : (f.coordinator.store.tables.machines.get(id) as Machine | undefined);
    };
    await putVmHost(f.coordinator, { name: 'lkh-shared' });
    await putVmHost(f.coordinator, { name: 'lkh-alice' });
    const lxd = (names: string[]) => ({
      ovsdbConnected: false,
      ovsVersion: '',
      bridge: '',
      bridges: [],
      ports: [],
      sriov: null,
      ovnRemote: '',
      ovnChassis: '',
      lxd: report(
        'mooring',
        names.map((n) => instance(n)),
      ),
    });
    f.coordinator.sessions.emit('report', 'lkh-shared', lxd(['vm-a', 'vm-b']));
    f.coordinator.sessions.emit('report', 'lkh-alice', lxd(['vm-c']));
    await waitFor(
      () => Promise.resolve(machineOf('lkh-shared', 'vm-b') !== undefined && machineOf('lkh-alice', 'vm-c') !== undefined),
      20_000,
      'VM machines',
    );
    await alice.call('MachineService', 'AllocateMachine', { constraints: { name: 'vm-a' } });
    await alice.call('MachineService', 'AllocateMachine', { constraints: { name: 'vm-c' } });
    const vmA = machineOf('lkh-shared', 'vm-a')!;
    const vmB = machineOf('lkh-shared', 'vm-b')!;

    const bobsHosts = (await bob.call('VmHostService', 'ListVmHosts', {})).hosts;
    expect(bobsHosts.map((h) => h.name)).toEqual(['lkh-shared']);
    const shared = bobsHosts[0]!;
    expect(shared.machines).toEqual([vmB.id]);
    expect(shared.instanceMachines).toEqual({ 'vm-b': vmB.id });
    expect(shared.report?.instances.map((i) => i.name)).toEqual(['vm-b']);
    expect(await bob.call('VmHostService', 'GetVmHost', { name: 'lkh-shared' })).toEqual(shared);
    const hidden = await outcome(bob.call('VmHostService', 'GetVmHost', { name: 'lkh-alice' }));
    const missing = await outcome(bob.call('VmHostService', 'GetVmHost', { name: 'lkh-nothing' }));
    expect(hidden).toEqual({ code: 'NOT_FOUND', details: missing.details.replaceAll('lkh-nothing', 'lkh-alice') });

    // Alice sees her VMs and the free one; the observer sees everything.
    const alicesShared = await alice.call('VmHostService', 'GetVmHost', { name: 'lkh-shared' });
    expect(Object.keys(alicesShared.instanceMachines).sort()).toEqual(['vm-a', 'vm-b']);
    expect(alicesShared.machines.sort()).toEqual([vmA.id, vmB.id].sort());
    expect((await olga.call('VmHostService', 'ListVmHosts', {})).hosts.map((h) => h.name)).toEqual(['lkh-alice', 'lkh-shared']);
    // The VM host's agent is alice's to read while she owns a VM on it.
    await f.coordinator.store.write((scope) =>
      f.coordinator.agents.enrolled(scope, 'lkh-alice', 'vmhost', 'lkh-alice', Date.now() + 86_400_000, 'admin'),
    );
    expect((await alice.call('AgentAdminService', 'ListAgents', {})).agents.map((a) => a.id)).toContain('lkh-alice');
    expect((await bob.call('AgentAdminService', 'ListAgents', {})).agents.map((a) => a.id)).not.toContain('lkh-alice');
  });
});
