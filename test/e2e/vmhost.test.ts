// LXD VM hosts end to end: a real coordinator process, a real vmhost agent process and a private
// LXD daemon (test/harness/lxd.ts), driven through moorctl. Add a host with a new project, compose
// a container into a READY machine, allocate it as a member and power it through the lxd driver,
// instances made with `lxc` in the project become machines (none from another project), the
// overcommit refusal, a virtual-machine refused with LXD's reason (no KVM here), delete, and
// removal that leaves instances in place unless told to delete the project's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinatorClient } from '../../coordinator/src/client/coordinator-client.js';
import type { Machine__Output, VmHost__Output } from '../../proto/generated/index.js';
import { VmHostLab } from '../harness/vmhost-lab.js';

let lab: VmHostLab;
let member: CoordinatorClient;

const ctl = (...args: string[]): ReturnType<VmHostLab['ctl']> => lab.ctl(...args);
const json = <T>(...args: string[]): Promise<T> => lab.json<T>(...args);
const host = (): Promise<VmHost__Output> => json<VmHost__Output>('vmhost', 'show', 'lx1');
const machine = (name: string): Promise<Machine__Output | null> => lab.machine(name);
const instances = (project: string): Promise<string[]> => lab.instances(project);
const status = (project: string, name: string): Promise<string> => lab.status(project, name);

beforeAll(async () => {
  lab = await VmHostLab.start('lx1');
  const admin = new CoordinatorClient({ address: lab.coord.address, caPem: lab.coord.caPem, token: lab.coord.adminToken });
  await admin.call('TenancyService', 'CreateUser', { name: 'mia', role: 'ROLE_MEMBER' });
  const { secret } = await admin.call('TenancyService', 'CreateToken', { user: 'mia' });
  admin.close();
  member = new CoordinatorClient({ address: lab.coord.address, caPem: lab.coord.caPem, token: secret });
});

afterAll(async () => {
  member?.close();
  await lab?.stop();
});

describe('LXD VM hosts', () => {
  it('adds a host only with an explicit, existing (or created) project, failing with the agent’s message', async () => {
    const missing = await ctl('vmhost', 'add', '--agent', 'lx1', '--project', 'nowhere');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^moorctl: agent lx1 could not assign LXD project nowhere: .*nowhere.* \(FAILED_PRECONDITION\)\n$/);
    const noProject = await ctl('vmhost', 'add', '--agent', 'lx1');
    expect(noProject.code).toBe(2);
    const added = await json<VmHost__Output>(
      'vmhost',
      'add',
      '--agent',
      'lx1',
      '--project',
      'mooring',
      '--create-project',
      '--memory-overcommit',
      '1.5',
      '--image',
      'busybox',
    );
    expect(added).toMatchObject({ name: 'lx1', project: 'mooring', memoryOvercommit: 1.5, cpuOvercommit: 1, agentState: 'ONLINE' });
    expect(added.report?.connected).toBe(true);
    expect(await lab.lxd.lxc('project', 'get', 'mooring', 'features.images')).toBe('false');
    const shown = await ctl('vmhost', 'show', 'lx1');
    expect(shown.stdout).toMatch(/\nNUMA nodes\nNODE +CPUS +COUNT/);
  });

  it('composes a container into a READY lxd machine in the project', async () => {
    const m = await json<Machine__Output>(
      'vm',
      'compose',
      '--host',
      'lx1',
      '--name',
      'c1',
      '--cores',
      '1',
      '--memory',
      '256M',
      '--disk',
      '1G',
      '--type',
      'container',
    );
    expect(m).toMatchObject({
      hostname: 'c1',
      status: 'MACHINE_STATUS_READY',
      cores: 1,
      memoryMib: 256,
      power: { driver: 'POWER_DRIVER_LXD', address: 'lx1/c1' },
    });
    expect(await instances('mooring')).toEqual(['c1']);
    expect(await instances('default')).toEqual([]);
  });

  it('lets a member allocate it and power it on and off through the lxd driver', async () => {
    const { machine: got } = await member.call('MachineService', 'AllocateMachine', { constraints: { name: 'c1' } });
    expect(got?.owner).toBe('mia');
    const on = await member.call('VmHostService', 'PowerVm', { machine: 'c1', action: 'on' });
    expect(on.powerState).toBe('POWER_STATE_ON');
    expect(await status('mooring', 'c1')).toBe('Running');
    const off = await member.call('VmHostService', 'PowerVm', { machine: 'c1', action: 'off' });
    expect(off.powerState).toBe('POWER_STATE_OFF');
    expect(await status('mooring', 'c1')).toBe('Stopped');
  });

  it('deploys it like bare metal: the sequencer boots it through the lxd driver (no boot device to set)', async () => {
    await member.call('DeploymentService', 'DeployMachine', { machine: 'c1', bootDevice: 'disk' });
    await lab.waitForMachine('c1', 'DEPLOYED', 60_000);
    expect(await status('mooring', 'c1')).toBe('Running');
  });

  it('makes a machine of an instance created with lxc in the project, and none of one in another project', async () => {
    await lab.lxd.createProject('other');
    await lab.lxd.lxc('init', 'busybox', 'y1', '--project', 'other');
    await lab.lxd.lxc('init', 'busybox', 'x1', '--project', 'mooring');
    await lab.waitForMachine('x1', 'READY');
    await json('vmhost', 'refresh', 'lx1');
    expect(await machine('y1')).toBeNull();
    const h = await host();
    expect(h.machines).toHaveLength(2);
    expect(Object.keys(h.instanceMachines).sort()).toEqual(['c1', 'x1']);
    expect((await ctl('vmhost', 'show', 'lx1')).stdout).toMatch(
      new RegExp(`\\nx1 +container +Stopped +- +- +- +${h.instanceMachines['x1']}\\n`),
    );
  });

  it('refuses a compose beyond capacity x ratio, saying ratio, capacity, used and requested', async () => {
    const r = await ctl('vm', 'compose', '--host', 'lx1', '--cores', '1', '--memory', '100000G', '--disk', '1G', '--type', 'container');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        /^moorctl: VM host lx1 cannot take this VM: memory: ratio 1\.5 x [\d.]+ [GM]iB capacity = /.source +
          /[\d.]+ [GT]iB, [\d.]+ [KMG]?i?B used, 97\.66 TiB requested \(RESOURCE_EXHAUSTED\)\n$/.source,
      ),
    );
  });

  it('shows LXD’s reason when a virtual-machine cannot be composed here', async () => {
    const r = await ctl('vm', 'compose', '--host', 'lx1', '--name', 'v1', '--cores', '1', '--memory', '256M', '--disk', '1G');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^moorctl: agent lx1 could not compose virtual-machine v1: .+\(FAILED_PRECONDITION\)\n$/);
    // LXD's own words, e.g. 'Instance type "virtual-machine" is not supported on this server: vhost_vsock kernel module not loaded'.
    expect(r.stderr).toMatch(/virtual-machine" is not supported on this server/);
    expect(await machine('v1')).toBeNull();
  });

  it('deletes a VM (instance and machine) once it is released', async () => {
    const busy = await ctl('vm', 'delete', 'c1');
    expect(busy.stderr).toMatch(/is DEPLOYED: cannot delete its VM \(FAILED_PRECONDITION\)/);
    await member.call('MachineService', 'ReleaseMachine', { machine: 'c1' });
    await lab.waitForMachine('c1', 'READY', 60_000).catch(async (e: unknown) => {
      console.log('EVENTS', (await ctl('events', 'list', '--machine', 'c1')).stdout);
      throw e;
    });
    const deleted = await ctl('vm', 'delete', 'c1');
    expect(deleted.stderr).toBe('');
    expect(deleted.code).toBe(0);
    expect(await instances('mooring')).toEqual(['x1']);
    expect(await machine('c1')).toBeNull();
  });

  it('removes the host leaving its instances, and with --delete-instances deletes only the project’s', async () => {
    const removed = await json<{ machines: string[] }>('vmhost', 'remove', 'lx1');
    expect(removed.machines).toHaveLength(1);
    expect(await machine('x1')).toBeNull();
    expect(await instances('mooring')).toEqual(['x1']);
    await json('vmhost', 'add', '--agent', 'lx1', '--project', 'mooring', '--image', 'busybox');
    await lab.waitForMachine('x1', 'READY');
    await json('vmhost', 'remove', 'lx1', '--delete-instances');
    expect(await instances('mooring')).toEqual([]);
    expect(await instances('other')).toEqual(['y1']);
    expect((await json<{ hosts: unknown[] }>('vmhost', 'list')).hosts).toEqual([]);
  });
});
