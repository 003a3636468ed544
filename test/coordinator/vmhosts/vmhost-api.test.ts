// VmHostService at the API edge over real gRPC and TLS: every request validated (INVALID_ARGUMENT
// naming the field), admin-only mutations, reads for admins and observers, refusals that name the state, and
// compose refused before anything reaches an agent when the host cannot take the VM.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoordinatorClient } from '../../../coordinator/src/client/coordinator-client.js';
import { startCoordinator, type CoordinatorFixture } from '../../harness/coordinator-fixture.js';
import { GIB, instance, report, resources } from './lxd-report.js';
import { putVmHost } from './vm-host-record.js';

async function refused(call: Promise<unknown>, code: grpc.status): Promise<string> {
  try {
    await call;
  } catch (error) {
    expect((error as grpc.ServiceError).code, (error as grpc.ServiceError).details).toBe(code);
    return (error as grpc.ServiceError).details;
  }
  throw new Error('request unexpectedly accepted');
}

const compose = { host: 'h1', cores: 1, memoryBytes: GIB, diskBytes: 0, type: 'container' };

describe('VmHostService edge', () => {
  let f: CoordinatorFixture;
  let member: CoordinatorClient;
  let observer: CoordinatorClient;
  beforeAll(async () => {
    f = await startCoordinator();
    member = await f.user('bob', 'member');
    observer = await f.user('olga', 'observer');
    const agents = f.coordinator.agents;
    await f.coordinator.store.write((scope) => {
      agents.enrolled(scope, 'nic1', 'smartnic', '01', Date.now() + 86_400_000, 'admin');
      agents.enrolled(scope, 'lxd1', 'vmhost', '02', Date.now() + 86_400_000, 'admin');
    });
    const busy = resources({
      memoryTotal: 20 * GIB,
      tracked: { cores: 2, memoryBytes: 12 * GIB, hugepageMemoryBytes: 0, instances: 1, uncountedInstances: 0 },
      other: { cores: 0, memoryBytes: 8 * GIB, hugepageMemoryBytes: 0, instances: 1, uncountedInstances: 0 },
    });
    await putVmHost(f.coordinator, {
      name: 'h1',
      memoryOvercommit: 1.5,
      report: report('mooring', [instance('a', { pinnedCpus: '0-1' })], { resources: busy }),
    });
    await putVmHost(f.coordinator, { name: 'silent' });
  });
  afterAll(async () => f?.close());

  it('validates AddVmHost and names the field', async () => {
    const add = (r: object): Promise<string> =>
      refused(f.admin.call('VmHostService', 'AddVmHost', { agent: 'lxd1', project: 'p', ...r }), grpc.status.INVALID_ARGUMENT);
    expect(await add({ project: '' })).toBe('project: required: the LXD project this host manages (there is no default)');
    expect(await add({ project: 'a/b' })).toMatch(/^project: must be an LXD project name/);
    expect(await add({ cpuOvercommit: 11 })).toBe('cpu_overcommit: must be 0 to 10');
    expect(await add({ memoryOvercommit: -1 })).toBe('memory_overcommit: must be 0 to 10');
    expect(await add({ agent: 'Bad Name' })).toMatch(/^agent: must be a VM host/);
  });

  it('adds only through admins and agents of role vmhost that are connected', async () => {
    expect(await refused(member.call('VmHostService', 'AddVmHost', { agent: 'lxd1', project: 'p' }), grpc.status.PERMISSION_DENIED)).toBe(
      'bob may not add VM hosts',
    );
    expect(await refused(f.admin.call('VmHostService', 'AddVmHost', { agent: 'ghost', project: 'p' }), grpc.status.NOT_FOUND)).toBe(
      'agent ghost not found',
    );
    expect(
      await refused(f.admin.call('VmHostService', 'AddVmHost', { agent: 'nic1', project: 'p' }), grpc.status.FAILED_PRECONDITION),
    ).toBe('agent nic1 has role smartnic: a VM host needs an agent enrolled with role vmhost');
    expect(
      await refused(f.admin.call('VmHostService', 'AddVmHost', { agent: 'lxd1', project: 'p', pool: 'nope' }), grpc.status.NOT_FOUND),
    ).toBe('pool nope not found');
    expect(
      await refused(f.admin.call('VmHostService', 'AddVmHost', { agent: 'lxd1', project: 'p' }), grpc.status.FAILED_PRECONDITION),
    ).toBe('agent lxd1 is NEVER_CONNECTED: cannot assign LXD project p');
  });

  it('lets observers read hosts with their budgets', async () => {
    const { hosts } = await observer.call('VmHostService', 'ListVmHosts', {});
    expect(hosts.map((h) => h.name)).toEqual(['h1', 'silent']);
    const h1 = await observer.call('VmHostService', 'GetVmHost', { name: 'h1' });
    // A member reads only hosts running a VM it can see: h1 runs none of bob's (tenancy-leaks.test.ts).
    expect(await refused(member.call('VmHostService', 'GetVmHost', { name: 'h1' }), grpc.status.NOT_FOUND)).toBe('VM host h1 not found');
    expect(h1.memory).toEqual({ ratio: 1.5, capacity: 16 * GIB, allowed: 24 * GIB, used: 20 * GIB, free: 4 * GIB });
    expect(h1.cores).toMatchObject({ capacity: 8, used: 2 });
    expect(await refused(observer.call('VmHostService', 'GetVmHost', { name: 'nope' }), grpc.status.NOT_FOUND)).toBe(
      'VM host nope not found',
    );
    expect(await refused(observer.call('VmHostService', 'RefreshVmHost', { name: 'h1' }), grpc.status.PERMISSION_DENIED)).toBe(
      'olga may not refresh VM hosts',
    );
  });

  it('validates ComposeVm', async () => {
    const bad = (r: object): Promise<string> =>
      refused(f.admin.call('VmHostService', 'ComposeVm', { ...compose, ...r }), grpc.status.INVALID_ARGUMENT);
    expect(await bad({ type: 'vm' })).toBe('type: must be container or virtual-machine');
    expect(await bad({ memoryBytes: 1024 })).toBe('memory_bytes: must be at least 64 MiB');
    expect(await bad({ cores: 0 })).toBe('cores: must be at least 1 (or give pinned_cpus)');
    expect(await bad({ name: '1abc' })).toMatch(/^name: must be an instance name/);
    expect(await bad({ nics: [{ network: 'lxdbr0', parent: 'br0' }] })).toBe(
      'nics[0]: give exactly one of network, parent (a bridge) or sriov_parent (an SR-IOV PF)',
    );
    expect(await bad({ pinnedCpus: '0-1', pinNumaNode: true })).toBe('numa_node: give pinned_cpus or numa_node, not both');
  });

  it('refuses a compose the host cannot take, saying ratio, capacity, used and requested', async () => {
    expect(await refused(member.call('VmHostService', 'ComposeVm', compose), grpc.status.PERMISSION_DENIED)).toBe(
      'bob may not compose VMs',
    );
    expect(
      await refused(f.admin.call('VmHostService', 'ComposeVm', { ...compose, memoryBytes: 8 * GIB }), grpc.status.RESOURCE_EXHAUSTED),
    ).toBe('VM host h1 cannot take this VM: memory: ratio 1.5 x 16 GiB capacity = 24 GiB, 20 GiB used, 8 GiB requested');
    expect(await refused(f.admin.call('VmHostService', 'ComposeVm', { ...compose, cores: 9 }), grpc.status.RESOURCE_EXHAUSTED)).toBe(
      'VM host h1 cannot take this VM: cores: ratio 1 x 8 capacity = 8, 2 used, 9 requested',
    );
    expect(
      await refused(
        f.admin.call('VmHostService', 'ComposeVm', { ...compose, hugepages: true, memoryBytes: 5 * GIB }),
        grpc.status.RESOURCE_EXHAUSTED,
      ),
    ).toBe('VM host h1 cannot take this VM: hugepage memory (never overcommitted): 4 GiB capacity, 0 B used, 5 GiB requested');
    expect(
      await refused(
        f.admin.call('VmHostService', 'ComposeVm', { ...compose, cores: 3, numaNode: 0, pinNumaNode: true }),
        grpc.status.FAILED_PRECONDITION,
      ),
    ).toBe('NUMA node 0 has 4 CPUs, 2 not pinned by other instances: cannot pin 3');
    expect(
      await refused(
        f.admin.call('VmHostService', 'ComposeVm', { ...compose, cores: 0, pinnedCpus: '3-4' }),
        grpc.status.FAILED_PRECONDITION,
      ),
    ).toBe('pinned_cpus: 3-4 spans NUMA nodes 0, 1; a pinned set must be on one node');
    expect(await refused(f.admin.call('VmHostService', 'ComposeVm', { ...compose, host: 'silent' }), grpc.status.FAILED_PRECONDITION)).toBe(
      'VM host silent has not reported its LXD resources yet (agent silent is unknown)',
    );
    expect(await refused(f.admin.call('VmHostService', 'ComposeVm', { ...compose, name: 'c1' }), grpc.status.FAILED_PRECONDITION)).toBe(
      'agent h1 is unknown: cannot compose container c1',
    );
    // Nothing was left behind by the refusals: no pending demand, no machine.
    expect(f.coordinator.vmPending.of('h1')).toEqual([]);
  });

  it('validates UpdateVmHost by its update_mask and allows ratio 0', async () => {
    expect(
      await refused(f.admin.call('VmHostService', 'UpdateVmHost', { name: 'h1', updateMask: [] }), grpc.status.INVALID_ARGUMENT),
    ).toMatch(/^update_mask: name the fields to change/);
    expect(
      await refused(f.admin.call('VmHostService', 'UpdateVmHost', { name: 'h1', updateMask: ['project'] }), grpc.status.INVALID_ARGUMENT),
    ).toMatch(/^update_mask\[0\]: unknown field project/);
    expect(
      await refused(
        f.admin.call('VmHostService', 'UpdateVmHost', { name: 'h1', cpuOvercommit: 12, updateMask: ['cpu_overcommit'] }),
        grpc.status.INVALID_ARGUMENT,
      ),
    ).toBe('cpu_overcommit: must be 0 to 10');
    const h = await f.admin.call('VmHostService', 'UpdateVmHost', { name: 'h1', cpuOvercommit: 0, updateMask: ['cpu_overcommit'] });
    expect([h.cpuOvercommit, h.memoryOvercommit, h.cores?.allowed]).toEqual([0, 1.5, 0]);
  });

  it('refuses VM operations on machines that are not VMs', async () => {
    const m = await f.machine('metal-1');
    expect(await refused(f.admin.call('VmHostService', 'DeleteVm', { machine: 'metal-1' }), grpc.status.FAILED_PRECONDITION)).toBe(
      'machine metal-1 uses the manual power driver: it is not an instance on a VM host',
    );
    expect(await refused(f.admin.call('VmHostService', 'PowerVm', { machine: m.id, action: 'on' }), grpc.status.FAILED_PRECONDITION)).toBe(
      'machine metal-1 uses the manual power driver: it is not an instance on a VM host',
    );
    expect(await refused(f.admin.call('VmHostService', 'PowerVm', { machine: m.id, action: 'toggle' }), grpc.status.INVALID_ARGUMENT)).toBe(
      'action: must be on, off, cycle or query',
    );
  });
});
