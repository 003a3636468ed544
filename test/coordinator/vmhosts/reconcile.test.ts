// LXD reports -> machines, against a real coordinator (real LMDB, real gRPC): every instance of
// the host's project becomes a READY lxd-driven machine (auto-reservation applied), nothing of
// another project does, an instance that disappears takes its machine along (or leaves it BROKEN
// when somebody holds it), and changes made through Mooring are not undone by older reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Machine } from '../../../coordinator/src/machines/machine.js';
import { startCoordinator, type CoordinatorFixture } from '../../harness/coordinator-fixture.js';
import { waitFor } from '../../harness/ovs.js';
import { GIB, instance, report, resources } from './lxd-report.js';
import { putVmHost } from './vm-host-record.js';

describe('VM host reports become machines', () => {
  let f: CoordinatorFixture;
  const machineOf = (host: string, name: string): Machine | undefined => {
    const id = f.coordinator.store.tables.vmInstances.get([host, name]);
    return id === undefined ? undefined : (f.coordinator.store.tables.machines.get(id) as Machine | undefined);
  };

  beforeAll(async () => {
    f = await startCoordinator();
    await f.user('alice', 'member', ['team']);
    await f.admin.call('PoolService', 'CreatePool', { name: 'vms', autoReserveFor: { kind: 'group', group: 'team' } });
    await putVmHost(f.coordinator, { name: 'h1', pool: 'vms', arch: 'arm64' });
  });
  afterAll(async () => f?.close());

  it('turns each instance of the project into a READY, auto-reserved lxd machine, as reports arrive', async () => {
    const lxd = report('mooring', [
      instance('web-1', { status: 'Running', cores: 2, memoryBytes: 2 * GIB }),
      instance('db-1', { cores: 0, memoryBytes: 0 }),
    ]);
    f.coordinator.sessions.emit('report', 'h1', {
      ovsdbConnected: false,
      ovsVersion: '',
      bridge: '',
      bridges: [],
      ports: [],
      sriov: null,
      ovnRemote: '',
      ovnChassis: '',
      lxd,
    });
    await waitFor(() => Promise.resolve(machineOf('h1', 'db-1') !== undefined), 20_000, 'the machines of the report');
    const web = machineOf('h1', 'web-1')!;
    expect(web).toMatchObject({
      hostname: 'web-1',
      status: 'READY',
      arch: 'arm64',
      cores: 2,
      memoryMib: 2048,
      pool: 'vms',
      powerState: 'on',
      commissioned: true,
    });
    expect(web.power).toMatchObject({ driver: 'lxd', address: 'h1/web-1' });
    expect(web.reservedFor).toEqual({ kind: 'group', name: 'team' });
    // No limits: the instance may use the whole host.
    expect(machineOf('h1', 'db-1')).toMatchObject({ cores: 8, memoryMib: 16 * 1024, powerState: 'off' });
    const { events } = await f.admin.call('EventService', 'ListEvents', { machine: web.id });
    expect(events.map((e) => e.toStatus)).toEqual(['NEW', 'COMMISSIONING', 'READY']);
    expect(f.coordinator.vmHosts.require('h1').report?.instances).toHaveLength(2);
  });

  it('ignores reports of another project and reports from a disconnected LXD', async () => {
    await f.coordinator.vmHosts.applyReport('h1', report('someone-else', [instance('theirs')]));
    await f.coordinator.vmHosts.applyReport('h1', report('mooring', [], { connected: false, error: 'LXD socket refused' }));
    expect(machineOf('h1', 'theirs')).toBeUndefined();
    expect(machineOf('h1', 'web-1')?.status).toBe('READY');
    expect(f.coordinator.vmHosts.require('h1').report?.error).toBe('LXD socket refused');
  });

  it('follows power and size changes made with lxc', async () => {
    await f.coordinator.vmHosts.applyReport(
      'h1',
      report('mooring', [
        instance('web-1', { status: 'Stopped', cores: 4, memoryBytes: 2 * GIB }),
        instance('db-1', { cores: 0, memoryBytes: 0 }),
      ]),
    );
    expect(machineOf('h1', 'web-1')).toMatchObject({ powerState: 'off', cores: 4, status: 'READY' });
  });

  it('removes the machine of a deleted instance, and leaves an allocated one BROKEN with the reason', async () => {
    const alice = await f.user('alice2', 'member', ['team']);
    const { machine } = await alice.call('MachineService', 'AllocateMachine', { constraints: { name: 'web-1' } });
    expect(machine?.status).toBe('MACHINE_STATUS_ALLOCATED');
    const webId = machine!.id;
    const dbId = machineOf('h1', 'db-1')!.id;
    const outcome = await f.coordinator.vmHosts.applyReport('h1', report('mooring', []));
    expect(outcome).toEqual({ created: [], removed: [dbId], broken: [webId] });
    expect(f.coordinator.store.tables.machines.get(dbId)).toBeUndefined();
    const web = f.coordinator.store.tables.machines.get(webId) as Machine;
    expect(web).toMatchObject({
      status: 'BROKEN',
      brokenFrom: 'ALLOCATED',
      owner: 'alice2',
      statusReason: 'instance web-1 is no longer in LXD project mooring (VM host h1)',
    });
    expect(f.coordinator.vmHosts.machineIds('h1')).toEqual([]);
  });

  it('keeps a composed instance an older report does not list yet, and does not bring back a deleted one', async () => {
    const pending = f.coordinator.vmPending;
    pending.add('h1', 'fresh', { cores: 1, memoryBytes: GIB, hugepages: false });
    await f.coordinator.store.write((scope) => {
      const host = f.coordinator.vmHosts.require('h1');
      f.coordinator.vmHosts.reconcile(scope, host, report('mooring', [instance('fresh')]));
    });
    expect(pending.has('h1', 'fresh')).toBe(false);
    pending.add('h1', 'fresh', { cores: 1, memoryBytes: GIB, hugepages: false });
    await f.coordinator.vmHosts.applyReport('h1', report('mooring', []));
    expect(machineOf('h1', 'fresh')?.status).toBe('READY');
    pending.drop('h1', 'fresh');
    pending.markDeleted('h1', 'gone');
    await f.coordinator.vmHosts.applyReport('h1', report('mooring', [instance('fresh'), instance('gone')]));
    expect(machineOf('h1', 'gone')).toBeUndefined();
    await f.coordinator.vmHosts.applyReport('h1', report('mooring', [instance('fresh')]));
    expect(pending.isDeleted('h1', 'gone')).toBe(false);
  });

  it('gives an instance whose name is taken another hostname, and takes the machine id a compose chose', async () => {
    await f.machine('dup');
    await putVmHost(f.coordinator, { name: 'h2' });
    await f.coordinator.vmHosts.applyReport(
      'h2',
      report('mooring', [instance('dup', { machineId: 'm-0123456789ab' })], { resources: resources() }),
    );
    expect(machineOf('h2', 'dup')).toMatchObject({ id: 'm-0123456789ab', hostname: 'dup-h2', pool: 'default' });
  });
});
